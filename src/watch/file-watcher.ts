// chokidar on a set of host paths, skipping what the filters drop (so an
// ignored node_modules is never even watched), feeding a batcher. Resolves
// once the initial scan is done: a change made after that is seen.

import { watch as chokidar, type FSWatcher } from 'chokidar';
import { ChangeBatcher, type BatcherOptions, type ChangeKind, type FileChange } from './change-batch.js';
import type { PathFilter } from './path-filter.js';

export interface FileWatcher {
  close(): Promise<void>;
}

export interface FileWatcherOptions extends BatcherOptions {
  onBatch: (changes: FileChange[]) => void;
  onError?: (error: Error) => void;
}

const KINDS = new Set<string>(['add', 'change', 'unlink', 'addDir', 'unlinkDir']);

/** Watches every filter's path; a path counts when some filter covering it does not skip it. */
export async function watchFiles(filters: readonly PathFilter[], opts: FileWatcherOptions): Promise<FileWatcher> {
  const batcher = new ChangeBatcher(opts.onBatch, opts);
  const skipped = (path: string) => {
    const covering = filters.filter((f) => f.covers(path));
    // Ancestors of a watched path are walked through, never skipped.
    return covering.length > 0 && covering.every((f) => f.skips(path));
  };
  const paths = [...new Set(filters.map((f) => f.rule.path))];
  const watcher: FSWatcher = chokidar(paths, { ignoreInitial: true, ignored: skipped, persistent: true, atomic: true });
  watcher.on('all', (event, path) => {
    if (KINDS.has(event)) batcher.add({ path, kind: event as ChangeKind });
  });
  watcher.on('error', (e) => opts.onError?.(e instanceof Error ? e : new Error(String(e))));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    async close() {
      batcher.close();
      await watcher.close();
    },
  };
}
