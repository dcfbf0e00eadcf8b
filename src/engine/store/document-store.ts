// Durable state: one JSON document per object, written atomically (temp file,
// fsync, rename), so a crash leaves either the old or the new document and
// never half of one. The engine rebuilds its in-memory view from these at
// start.

import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DocumentStore<T> {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private file(id: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) throw new Error(`invalid document id ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.json`);
  }

  put(id: string, doc: T): void {
    writeFileAtomic(this.file(id), JSON.stringify(doc, null, 1));
  }

  get(id: string): T | undefined {
    try {
      return JSON.parse(readFileSync(this.file(id), 'utf8')) as T;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  delete(id: string): void {
    rmSync(this.file(id), { force: true });
  }

  /** Every readable document; a corrupt one is reported, not fatal. */
  list(onCorrupt?: (id: string, err: unknown) => void): Array<{ id: string; doc: T }> {
    const out: Array<{ id: string; doc: T }> = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) {
        // Leftover temp files from a crash mid-write.
        if (name.includes('.tmp-')) rmSync(join(this.dir, name), { force: true });
        continue;
      }
      const id = name.slice(0, -5);
      try {
        out.push({ id, doc: JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as T });
      } catch (e) {
        onCorrupt?.(id, e);
      }
    }
    return out;
  }
}

export function writeFileAtomic(path: string, data: string | Buffer, mode = 0o600): void {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
