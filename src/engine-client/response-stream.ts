// Reading a streamed response as an async iterable: chunks, then JSON
// messages. An abort ends the iteration quietly (the caller asked for it); a
// consumer that stops early closes the connection; a connection that breaks
// half-way is an EngineError.

import type { IncomingMessage } from 'node:http';
import { describeNetworkError, EngineError } from './engine-error.js';
import { LineSplitter } from './line-splitter.js';

export async function* chunksOf(what: string, res: IncomingMessage, signal?: AbortSignal): AsyncGenerator<Buffer> {
  if (signal?.aborted) {
    res.destroy();
    return;
  }
  const onAbort = () => res.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of res) yield chunk as Buffer;
  } catch (e) {
    if (signal?.aborted) return;
    throw new EngineError(`${what}: the stream from the engine broke: ${describeNetworkError(e)}`, { cause: e });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    res.destroy();
  }
}

/** Newline-delimited JSON (events, pull, push and build progress). */
export async function* jsonMessages<T>(what: string, chunks: AsyncIterable<Buffer>): AsyncGenerator<T> {
  const lines = new LineSplitter();
  for await (const chunk of chunks) {
    for (const line of lines.push(chunk)) {
      if (line.trim()) yield parseMessage<T>(what, line);
    }
  }
  const last = lines.flush();
  if (last?.trim()) yield parseMessage<T>(what, last);
}

function parseMessage<T>(what: string, line: string): T {
  try {
    return JSON.parse(line) as T;
  } catch (e) {
    const shown = line.length > 200 ? line.slice(0, 200) + '…' : line;
    throw new EngineError(`${what}: the engine sent a progress line that is not JSON: ${shown}`, { cause: e });
  }
}

/**
 * Progress messages carry failures inside a 200 response, as
 * `{"error": …, "errorDetail": {"message": …}}`; those become EngineError.
 */
export async function* failOnErrorMessage<T extends { error?: string; errorDetail?: { message?: string; code?: number } }>(
  what: string,
  messages: AsyncIterable<T>,
): AsyncGenerator<T> {
  for await (const m of messages) {
    if (m.error !== undefined || m.errorDetail !== undefined) {
      const message = m.errorDetail?.message ?? m.error ?? 'unknown error';
      throw new EngineError(`${what}: ${message}`, { engineMessage: message, statusCode: m.errorDetail?.code });
    }
    yield m;
  }
}
