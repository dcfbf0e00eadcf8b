// Copying files in and out of a container as tar archives (`compose cp`,
// develop.watch's sync). The engine describes the path in a header: base64 JSON.

import type { IncomingMessage } from 'node:http';
import type { PathStat } from './container-types.js';
import type { ContainersClient } from './containers-client.js';
import { segment } from './query-values.js';
import { refusal, type Transport } from './transport.js';

type ArchiveCalls = Pick<ContainersClient, 'getArchive' | 'putArchive' | 'statPath'>;

export function archiveCalls(t: Transport): ArchiveCalls {
  const archive = (id: string) => `/containers/${segment(id)}/archive`;
  return {
    async getArchive(id, path, opts = {}) {
      const res = await t.stream(`copy ${path} from container ${id}`, { method: 'GET', path: archive(id), query: { path }, signal: opts.signal });
      return { stat: pathStat(res), tar: res };
    },

    async putArchive(id, path, tar, opts = {}) {
      await t.request(`copy into ${path} of container ${id}`, {
        method: 'PUT',
        path: archive(id),
        query: { path, noOverwriteDirNonDir: opts.noOverwriteDirNonDir || undefined, copyUIDGID: opts.copyUIDGID || undefined },
        upload: tar,
        signal: opts.signal,
      });
    },

    async statPath(id, path) {
      const what = `look up ${path} in container ${id}`;
      const res = await t.open(what, { method: 'HEAD', path: archive(id), query: { path } });
      res.resume();
      if (res.statusCode === 404) return undefined;
      if (res.statusCode !== 200) throw refusal(what, res.statusCode ?? 0, Buffer.from(headerMessage(res)));
      return pathStat(res);
    },
  };
}

function pathStat(res: IncomingMessage): PathStat | undefined {
  const header = res.headers['x-docker-container-path-stat'];
  if (typeof header !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
  } catch {
    return undefined;
  }
}

/** A HEAD answer has no body; the status line is all the engine said. */
function headerMessage(res: IncomingMessage): string {
  return res.statusMessage ?? '';
}
