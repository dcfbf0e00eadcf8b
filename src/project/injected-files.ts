// Secrets and configs whose content is not a file on the host (`environment:`
// for secrets and configs, `content:` for configs) are written into the
// container after it is created and before it starts, as docker compose does:
// one tar, put at `/`, each file at its target with the reference's mode
// (0444 unless set), uid and gid. File-backed ones are bind mounts instead
// (see container-request.ts). Nothing of their content touches the host's disk.

import { posix } from 'node:path';
import { GantryError } from '../common/errors.js';
import type { Project, ServiceConfig } from '../spec/index.js';
import { encodeHeader, END_OF_ARCHIVE, padding } from './tar-format.js';

export interface InjectedFile {
  /** Absolute path in the container. */
  path: string;
  content: Buffer;
  mode: number;
  uid: number;
  gid: number;
}

/** The files to write into a container of `service`; none for a service that uses only file-backed ones. */
export function injectedFiles(project: Project, service: ServiceConfig, env: Record<string, string | undefined> = project.environment ?? {}): InjectedFile[] {
  const files: InjectedFile[] = [];
  for (const kind of ['secrets', 'configs'] as const) {
    for (const ref of service[kind] ?? []) {
      const def = project[kind][ref.source];
      if (!def || def.file || def.external) continue;
      let content: string | undefined;
      if (typeof def.content === 'string') content = def.content;
      else if (typeof def.environment === 'string') {
        content = env[def.environment];
        if (content === undefined) {
          throw new GantryError('usage', `environment variable ${def.environment} required by ${kind === 'secrets' ? 'secret' : 'config'} "${ref.source}" of service "${service.name}" is not set`, {
            hint: `set ${def.environment} in the environment or in .env`,
          });
        }
      } else continue;
      const target = ref.target ?? (kind === 'secrets' ? ref.source : `/${ref.source}`);
      const path = posix.isAbsolute(target) ? posix.normalize(target) : posix.join('/run/secrets', target);
      files.push({ path, content: Buffer.from(content), mode: ref.mode ?? 0o444, uid: idOf(ref.uid), gid: idOf(ref.gid) });
    }
  }
  return files;
}

function idOf(value: string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/**
 * The files as a tar rooted at `/`. No entries for their parents: the engine
 * makes missing ones, and an entry for an existing one (`/tmp`) would change
 * its mode.
 */
export function* injectedArchive(files: InjectedFile[]): Generator<Buffer> {
  const now = Math.floor(Date.now() / 1000);
  for (const f of files) {
    yield encodeHeader({ name: f.path.replace(/^\/+/, ''), type: 'file', mode: f.mode, uid: f.uid, gid: f.gid, size: f.content.length, mtime: now, linkname: '' });
    yield f.content;
    yield Buffer.alloc(padding(f.content.length));
  }
  yield END_OF_ARCHIVE;
}
