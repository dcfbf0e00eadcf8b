// The one place that sends requests to the engine. The resource clients call
// the Engine API by path through it, not through dockerode's per-method
// wrappers, because those hide the status code and the response headers: here
// every call gets the same version prefix, the same debug line, and the same
// translation of failures into EngineError.
//
// docker-modem (dockerode's transport) does the connecting: unix socket, TCP
// with TLS, or ssh running `docker system dial-stdio`. Its request builder
// guesses bodies from its options, so every call here states its body
// explicitly as bytes or a stream; see dialOptions.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CallLogger } from './debug-log.js';
import type { EngineModem } from './engine-modem.js';
import { describeNetworkError, EngineError } from './engine-error.js';

/** Arrays repeat the key (`t=a&t=b`). */
export type QueryValue = string | number | boolean | string[] | undefined;

export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  /** Unversioned path, e.g. `/containers/json`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (a tar archive); wins over body. */
  upload?: NodeJS.ReadableStream | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** False for `/_ping` before the version is known. */
  versioned?: boolean;
}

// docker-modem turns statuses it was not told about into errors whose text
// swallows the engine's message; accepting every status keeps the response.
const EVERY_STATUS: Record<number, true> = {};
for (let s = 100; s < 600; s++) EVERY_STATUS[s] = true;

export class Transport {
  /** `1.41`; set once the engine has been pinged. */
  apiVersion: string | undefined;

  constructor(
    private readonly modem: EngineModem,
    /** The engine's address as the user wrote it, for messages. */
    readonly hostUrl: string,
    private readonly log: CallLogger | undefined,
  ) {}

  /** Sends a call; resolves with the response once its headers arrive, whatever its status. */
  open(what: string, call: ApiCall): Promise<IncomingMessage> {
    return this.dial(what, call, false) as Promise<IncomingMessage>;
  }

  /**
   * Sends a call that upgrades the connection (attach, exec start) and resolves
   * with the raw two-way socket; an engine that refuses answers with a status.
   */
  async hijack(what: string, call: ApiCall): Promise<Duplex> {
    const result = await this.dial(what, call, true);
    if (!isResponse(result)) return result;
    const body = await this.readBody(what, result, call.signal);
    if (isSuccess(result.statusCode)) {
      // An engine may answer 200 without upgrading and stream over the body.
      throw new EngineError(`${what}: the engine did not upgrade the connection`, { statusCode: result.statusCode });
    }
    throw refusal(what, result.statusCode ?? 0, body);
  }

  /**
   * A JSON call: the parsed body on success, EngineError otherwise. `alsoFine`
   * lists statuses that mean "already so" (304 on start and stop).
   */
  async request<T>(what: string, call: ApiCall, alsoFine: readonly number[] = []): Promise<T> {
    const res = await this.open(what, call);
    const body = await this.readBody(what, res, call.signal);
    if (!isSuccess(res.statusCode) && !alsoFine.includes(res.statusCode ?? 0)) throw refusal(what, res.statusCode ?? 0, body);
    return parseJson(body) as T;
  }

  /** Like request, but the engine's 404 means "there is none": undefined. */
  async inspect<T>(what: string, call: ApiCall): Promise<T | undefined> {
    const res = await this.open(what, call);
    const body = await this.readBody(what, res, call.signal);
    if (res.statusCode === 404) return undefined;
    if (!isSuccess(res.statusCode)) throw refusal(what, res.statusCode ?? 0, body);
    return parseJson(body) as T;
  }

  /** A call whose body is read as a stream (logs, events, pull, archives). */
  async stream(what: string, call: ApiCall): Promise<IncomingMessage> {
    const res = await this.open(what, call);
    if (isSuccess(res.statusCode)) return res;
    throw refusal(what, res.statusCode ?? 0, await this.readBody(what, res, call.signal));
  }

  /** The whole body; a connection lost half-way is an EngineError, an abort rethrows its reason. */
  async readBody(what: string, res: IncomingMessage, signal?: AbortSignal): Promise<Buffer> {
    try {
      return await readAll(res, signal);
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw new EngineError(`${what}: the connection to the engine at ${this.hostUrl} broke: ${describeNetworkError(e)}`, { cause: e });
    }
  }

  private dial(what: string, call: ApiCall, hijack: boolean): Promise<IncomingMessage | Duplex> {
    const signal = call.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const path = call.versioned === false || !this.apiVersion ? call.path : `/v${this.apiVersion}${call.path}`;
    const started = this.log ? performance.now() : 0;
    const query = queryOf(call);
    return new Promise((resolve, reject) => {
      this.modem.dial(dialOptions(path, query, call, hijack), (err, result) => {
        if (this.log) {
          const status = err ? `failed (${(err as NodeJS.ErrnoException).code ?? err.message})` : isResponse(result) ? String(result.statusCode) : '101';
          this.log(`${call.method} ${summarize(path, query)} ${status} ${Math.round(performance.now() - started)}ms`);
        }
        if (err) {
          if (signal?.aborted) reject(signal.reason);
          else
            reject(
              new EngineError(`${what}: cannot reach the container engine at ${this.hostUrl}: ${describeNetworkError(err)}`, {
                hint: 'is the engine still running?',
                cause: err,
              }),
            );
          return;
        }
        resolve(result as IncomingMessage | Duplex);
      });
    });
  }
}

function queryOf(call: ApiCall): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(call.query ?? {})) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    query[k] = Array.isArray(v) ? v : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  }
  return query;
}

function dialOptions(path: string, query: Record<string, string | string[]>, call: ApiCall, hijack: boolean): Parameters<EngineModem['dial']>[0] {
  const hasQuery = Object.keys(query).length > 0;
  const headers: Record<string, string> = { ...call.headers };
  let file: NodeJS.ReadableStream | Buffer | undefined = call.upload;
  if (file) headers['Content-Type'] = call.contentType ?? 'application/x-tar';
  else if (call.body !== undefined || hijack) {
    // Bytes with a length, never modem's chunked default: a chunked request
    // ends with a terminator chunk, which after an upgrade would reach the
    // container's stdin as stray bytes.
    file = call.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(call.body));
    headers['Content-Type'] = 'application/json';
  }
  return {
    // modem appends the query to a path ending in `?` (and drops that `?` when
    // there is none); `_body: {}` stops it from posting the query as a body.
    path: hasQuery ? `${path}?` : path,
    method: call.method,
    headers,
    options: hasQuery ? { _query: query, _body: {} } : undefined,
    file,
    isStream: true,
    hijack,
    statusCodes: EVERY_STATUS,
    abortSignal: call.signal,
  };
}

/** The path for a debug line: ids cut to docker's 12-character form, long queries cut short. */
function summarize(path: string, query: Record<string, string | string[]>): string {
  const short = path.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1');
  const entries = Object.entries(query);
  if (entries.length === 0) return short;
  const text = entries.map(([k, v]) => `${k}=${String(v)}`).join('&');
  return `${short}?${text.length > 120 ? text.slice(0, 119) + '…' : text}`;
}

function isResponse(x: unknown): x is IncomingMessage {
  return typeof (x as IncomingMessage | undefined)?.statusCode === 'number';
}

export function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

/** The engine's `{"message": …}`, else its text, else the bare status. */
export function refusal(what: string, status: number, body: Buffer): EngineError {
  const text = body.toString('utf8').trim();
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed?.message === 'string') message = parsed.message;
  } catch {
    // Not JSON: the text is the message.
  }
  if (!message) message = `the engine answered HTTP ${status}`;
  return new EngineError(`${what}: ${message}`, { statusCode: status, engineMessage: message });
}

export function readAll(res: NodeJS.ReadableStream & { destroy?: (e?: Error) => void }, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onAbort = () => {
      res.destroy?.();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks));
    });
    res.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : e);
    });
  });
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
