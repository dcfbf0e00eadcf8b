// Running a command in a running container: create the exec, start it attached
// (its streams) or detached, resize its TTY, and read its exit code back.

import { attachedStreams, closeOnAbort, type AttachedStreams } from './attached-streams.js';
import type { ExecDetails } from './container-types.js';
import type { ContainersClient, ExecStartOptions } from './containers-client.js';
import { segment } from './query-values.js';
import type { Transport } from './transport.js';

type ExecCalls = Pick<ContainersClient, 'execCreate' | 'execStart' | 'execResize' | 'execInspect'>;

export function execCalls(t: Transport): ExecCalls {
  return {
    async execCreate(id, config) {
      const body = { AttachStdout: true, AttachStderr: true, ...config };
      const r = await t.request<{ Id: string }>(`create exec in container ${id}`, {
        method: 'POST',
        path: `/containers/${segment(id)}/exec`,
        body,
      });
      return r.Id;
    },

    async execStart(execId, opts: ExecStartOptions = {}): Promise<AttachedStreams | undefined> {
      const what = `start exec ${execId}`;
      const body: Record<string, unknown> = { Detach: Boolean(opts.detach), Tty: Boolean(opts.tty) };
      if (opts.consoleSize) body.ConsoleSize = opts.consoleSize;
      const call = { method: 'POST' as const, path: `/exec/${segment(execId)}/start`, body, signal: opts.signal };
      if (opts.detach) {
        await t.request(what, call);
        return undefined;
      }
      const streams = attachedStreams(what, await t.hijack(what, call), { tty: Boolean(opts.tty), stdin: Boolean(opts.stdin) });
      closeOnAbort(streams, opts.signal);
      return streams;
    },

    async execResize(execId, size) {
      await t.request(`resize exec ${execId}`, { method: 'POST', path: `/exec/${segment(execId)}/resize`, query: { h: size.height, w: size.width } });
    },

    execInspect: (execId) => t.inspect<ExecDetails>(`inspect exec ${execId}`, { method: 'GET', path: `/exec/${segment(execId)}/json` }),
  };
}
