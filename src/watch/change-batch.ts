// Changes come in bursts (an editor's save is a write, a rename and a chmod; a
// `git checkout` is hundreds of files). The batcher holds them until the
// files have been quiet for a while (docker compose waits 500 ms), then hands
// over one batch with the last word on each path, so one burst is one action.

export type ChangeKind = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface FileChange {
  path: string;
  kind: ChangeKind;
}

export interface BatcherOptions {
  /** How long the files must be quiet before a batch is handed over; 500 ms by default. */
  quietMs?: number;
  /** Hand a batch over after this long even if changes keep coming; 10 s by default. */
  maxWaitMs?: number;
}

export class ChangeBatcher {
  private pending = new Map<string, ChangeKind>();
  private quietTimer: NodeJS.Timeout | undefined;
  private firstAt = 0;
  private readonly quietMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly onBatch: (changes: FileChange[]) => void,
    opts: BatcherOptions = {},
  ) {
    this.quietMs = opts.quietMs ?? 500;
    this.maxWaitMs = opts.maxWaitMs ?? 10_000;
  }

  add(change: FileChange): void {
    const before = this.pending.get(change.path);
    if (this.pending.size === 0) this.firstAt = Date.now();
    this.pending.set(change.path, merge(before, change.kind));
    clearTimeout(this.quietTimer);
    const waited = Date.now() - this.firstAt;
    this.quietTimer = setTimeout(() => this.flush(), Math.max(0, Math.min(this.quietMs, this.maxWaitMs - waited)));
  }

  /** Hands over what is pending now (nothing when nothing is). */
  flush(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    if (!this.pending.size) return;
    const batch = [...this.pending].map(([path, kind]) => ({ path, kind })).sort((a, b) => a.path.localeCompare(b.path));
    this.pending = new Map();
    this.onBatch(batch);
  }

  /** Drops what is pending; no batch follows. */
  close(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    this.pending.clear();
  }
}

/**
 * The last word on a path, except that a file created and changed within one
 * batch is still new, and one deleted and created again is a change.
 */
function merge(before: ChangeKind | undefined, now: ChangeKind): ChangeKind {
  if (before === 'add' && now === 'change') return 'add';
  if (before === 'unlink' && now === 'add') return 'change';
  return now;
}
