// A hijacked connection (attach, exec start) as three ordinary streams. Without
// a TTY the engine frames stdout and stderr on one connection; with a TTY the
// bytes are raw and all of them are stdout.

import { PassThrough, Writable, type Duplex, type Readable } from 'node:stream';
import { describeNetworkError, EngineError } from './engine-error.js';
import { FrameDemuxer } from './frame-demuxer.js';

export interface AttachedStreams {
  /** The process's stdin when it was asked for; `end()` closes it (EOF). */
  stdin: Writable | undefined;
  stdout: Readable;
  stderr: Readable;
  /** Settles once the output has ended: the process exited, or close() was called. */
  done: Promise<void>;
  /** Detaches: drops the connection, leaving the process running. */
  close(): void;
}

export function attachedStreams(what: string, socket: Duplex, opts: { tty: boolean; stdin: boolean }): AttachedStreams {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const demux = opts.tty ? undefined : new FrameDemuxer();
  let closing = false;

  const deliver = (target: PassThrough, data: Buffer) => {
    // Backpressure: a slow reader of either stream pauses the connection.
    if (!target.write(data)) {
      socket.pause();
      target.once('drain', () => socket.resume());
    }
  };
  socket.on('data', (chunk: Buffer) => {
    if (!demux) return deliver(stdout, chunk);
    for (const f of demux.push(chunk)) deliver(f.stream === 'stderr' ? stderr : stdout, f.data);
  });

  const done = new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      if (err) {
        stdout.destroy(err);
        stderr.destroy(err);
        reject(err);
      } else {
        stdout.end();
        stderr.end();
        resolve();
      }
    };
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (e) => finish(closing ? undefined : new EngineError(`${what}: the connection to the engine broke: ${describeNetworkError(e)}`, { cause: e })));
  });
  // Nobody may be awaiting `done`; its failure also reaches stdout/stderr.
  done.catch(() => {});

  const stdin = opts.stdin
    ? new Writable({
        write(chunk: Buffer, _enc, cb) {
          socket.write(chunk, cb);
        },
        final(cb) {
          // Half-close: the process sees EOF while its output keeps flowing.
          socket.end();
          cb();
        },
      })
    : undefined;

  return {
    stdin,
    stdout,
    stderr,
    done,
    close() {
      closing = true;
      socket.destroy();
    },
  };
}

/** Closes the attachment when `signal` aborts, and forgets the signal once it is over. */
export function closeOnAbort(streams: AttachedStreams, signal: AbortSignal | undefined): void {
  if (!signal) return;
  if (signal.aborted) return streams.close();
  const onAbort = () => streams.close();
  signal.addEventListener('abort', onAbort, { once: true });
  streams.done.then(
    () => signal.removeEventListener('abort', onAbort),
    () => signal.removeEventListener('abort', onAbort),
  );
}
