// Container records on disk. Creating or renaming a container is written
// durably (fsync): losing it to a power cut would lose the container. State
// changes are only made atomic (temp file, rename): a SIGKILLed engine still
// finds a whole record, and after a power cut every container is dead anyway
// and recovery rewrites its state, so an fsync on each start and exit would
// buy nothing but latency.

import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentStore } from '../store/document-store.js';
import type { ContainerRecord } from './container-record.js';

export class ContainerStore {
  private readonly docs: DocumentStore<ContainerRecord>;

  constructor(readonly dir: string) {
    this.docs = new DocumentStore(dir);
  }

  list(onCorrupt?: (id: string, err: unknown) => void): ContainerRecord[] {
    return this.docs.list(onCorrupt).map(({ doc }) => doc);
  }

  put(c: ContainerRecord, opts: { durable?: boolean } = {}): void {
    if (opts.durable) return this.docs.put(c.Id, c);
    if (!/^[0-9a-f]{64}$/.test(c.Id)) throw new Error(`invalid container id ${JSON.stringify(c.Id)}`);
    const path = join(this.dir, `${c.Id}.json`);
    // The `.tmp-` infix is what DocumentStore sweeps up after a crash.
    const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    writeFileSync(tmp, JSON.stringify(c, null, 1), { mode: 0o600 });
    renameSync(tmp, path);
  }

  delete(id: string): void {
    this.docs.delete(id);
  }
}
