// The HTTP server on the engine's unix socket. It owns the socket's
// permissions (root only: 0660, never world-writable), routes requests and
// upgrades through one Router, and renders every failure once as docker's
// `{"message": …}` with the right status code.

import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import { ApiError } from './api-error.js';
import { sendJson } from './http-io.js';
import { API_VERSION, type RequestContext, type Router } from './router.js';

export interface ApiServerOptions {
  socketPath: string;
  router: Router;
  /** Called for failures that are not ApiErrors (bugs, runtime failures), for the engine's log. */
  onInternalError?: (err: unknown, ctx: { method: string; url: string }) => void;
}

export async function listenApi(opts: ApiServerOptions): Promise<Server> {
  const server = createServer({ keepAlive: true });
  // Clients pool idle connections (Node's global agent does); closing them
  // after Node's default 5 s races with a client reusing one (EPIPE). dockerd
  // keeps them open; a minute is close enough.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  const fail = (err: unknown, method: string, url: string, res?: ServerResponse, socket?: Duplex) => {
    const apiErr = err instanceof ApiError ? err : undefined;
    if (!apiErr) opts.onInternalError?.(err, { method, url });
    const status = apiErr?.status ?? 500;
    const message = apiErr ? apiErr.message : (err as Error)?.message ?? String(err);
    if (res) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (status === 304) {
        res.writeHead(304);
        res.end();
        return;
      }
      sendJson(res, status, { message });
    } else if (socket && socket.writable) {
      const body = JSON.stringify({ message }) + '\n';
      socket.end(
        `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    res.setHeader('Api-Version', API_VERSION);
    res.setHeader('Server', `gantry-engine (linux)`);
    let ctx: RequestContext | undefined;
    try {
      const matched = opts.router.match(method, url);
      ctx = { ...matched.ctx, req, res };
      Promise.resolve(matched.handler(ctx)).catch((err) => fail(err, method, url, res));
    } catch (err) {
      fail(err, method, url, res);
    }
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    try {
      const matched = opts.router.match(method, url);
      const ctx: RequestContext = { ...matched.ctx, req, upgrade: { socket, head } };
      Promise.resolve(matched.handler(ctx)).catch((err) => fail(err, method, url, undefined, socket));
    } catch (err) {
      fail(err, method, url, undefined, socket);
    }
  });

  mkdirSync(dirname(opts.socketPath), { recursive: true, mode: 0o750 });
  if (existsSync(opts.socketPath)) unlinkSync(opts.socketPath);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Bind with a umask that never lets the socket be world-writable, then
    // narrow it further; there is no window where others may connect.
    const old = process.umask(0o117);
    server.listen(opts.socketPath, () => {
      process.umask(old);
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(opts.socketPath, 0o660);
  return server;
}

/**
 * Takes over the connection for a raw stream (attach, exec start), as dockerd
 * does: `101 UPGRADED` when the client asked to upgrade, else `200 OK` on
 * the plain connection. Returns the socket to read stdin from and write to.
 */
export function hijack(ctx: RequestContext, contentType = 'application/vnd.docker.raw-stream'): Duplex {
  if (ctx.upgrade) {
    const { socket, head } = ctx.upgrade;
    socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nApi-Version: ${API_VERSION}\r\n\r\n`);
    if (head.length > 0) socket.unshift(head);
    return socket;
  }
  const res = ctx.res!;
  const socket = ctx.req.socket;
  // Take the socket away from the HTTP machinery so it neither times out nor
  // parses what the client sends next as a new request.
  socket.removeAllListeners('timeout');
  socket.setTimeout(0);
  (res as unknown as { detachSocket(s: unknown): void }).detachSocket(socket);
  socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nApi-Version: ${API_VERSION}\r\n\r\n`);
  return socket;
}

/**
 * The JSON body of a request that asked to upgrade (exec start, attach): Node
 * hands such a request over with its body still on the socket (`head` holds
 * what arrived with the headers), so it is read here, before the stream.
 */
export async function readUpgradeBody<T>(ctx: RequestContext): Promise<T | undefined> {
  if (!ctx.upgrade) return undefined;
  const length = Number(ctx.req.headers['content-length'] ?? 0);
  if (!length) return undefined;
  const { socket } = ctx.upgrade;
  let body = ctx.upgrade.head;
  while (body.length < length) {
    const chunk = await new Promise<Buffer | null>((resolve) => {
      const onData = (c: Buffer) => {
        socket.off('end', onEnd);
        socket.pause();
        resolve(c);
      };
      const onEnd = () => {
        socket.off('data', onData);
        resolve(null);
      };
      socket.once('data', onData);
      socket.once('end', onEnd);
      socket.resume();
    });
    if (!chunk) break;
    body = Buffer.concat([body, chunk]);
  }
  ctx.upgrade.head = body.subarray(length);
  try {
    return JSON.parse(body.subarray(0, length).toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
