// Reading a container's output: its logs as lines, or its live streams
// through an attach. Both need to know whether the container has a TTY, since
// that decides between framed and raw bytes; callers that know say so and save
// a lookup.

import { attachedStreams, closeOnAbort, type AttachedStreams } from './attached-streams.js';
import type { ContainerDetails } from './container-types.js';
import type { AttachOptions, ContainersClient, LogsOptions } from './containers-client.js';
import { EngineError } from './engine-error.js';
import { logLines, type LogLine } from './log-lines.js';
import { timeArg, segment } from './query-values.js';
import { chunksOf } from './response-stream.js';
import type { Transport } from './transport.js';

export function streamCalls(t: Transport): Pick<ContainersClient, 'logs' | 'attach'> {
  const hasTty = async (what: string, id: string, known: boolean | undefined, signal?: AbortSignal): Promise<boolean> => {
    if (known !== undefined) return known;
    const details = await t.inspect<ContainerDetails>(what, { method: 'GET', path: `/containers/${segment(id)}/json`, signal });
    if (!details) throw new EngineError(`${what}: No such container: ${id}`, { statusCode: 404, engineMessage: `No such container: ${id}` });
    return Boolean(details.Config?.Tty);
  };

  return {
    async *logs(id: string, opts: LogsOptions = {}): AsyncGenerator<LogLine> {
      const what = `read logs of container ${id}`;
      const signal = opts.signal;
      if (signal?.aborted) return;
      let tty: boolean;
      let res;
      try {
        tty = await hasTty(what, id, opts.tty, signal);
        res = await t.stream(what, {
          method: 'GET',
          path: `/containers/${segment(id)}/logs`,
          query: {
            follow: opts.follow || undefined,
            stdout: opts.stdout ?? true,
            stderr: opts.stderr ?? true,
            since: timeArg(opts.since),
            until: timeArg(opts.until),
            timestamps: opts.timestamps || undefined,
            tail: opts.tail === undefined ? undefined : String(opts.tail),
          },
          signal,
        });
      } catch (e) {
        if (signal?.aborted) return;
        throw e;
      }
      yield* logLines(chunksOf(what, res, signal), { tty, timestamps: Boolean(opts.timestamps) });
    },

    async attach(id: string, opts: AttachOptions = {}): Promise<AttachedStreams> {
      const what = `attach to container ${id}`;
      const tty = await hasTty(what, id, opts.tty, opts.signal);
      const socket = await t.hijack(what, {
        method: 'POST',
        path: `/containers/${segment(id)}/attach`,
        query: {
          stream: true,
          stdin: opts.stdin || undefined,
          stdout: opts.stdout ?? true,
          stderr: opts.stderr ?? true,
          logs: opts.logs || undefined,
          detachKeys: opts.detachKeys,
        },
        signal: opts.signal,
      });
      const streams = attachedStreams(what, socket, { tty, stdin: Boolean(opts.stdin) });
      closeOnAbort(streams, opts.signal);
      return streams;
    },
  };
}
