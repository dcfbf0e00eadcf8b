// A batch of changes → what to do about it, for one service: one action per
// batch. A rebuild wins over everything (the new container gets the files
// anyway); otherwise each sync rule copies its paths, then the service is
// restarted once if any rule asks for it, then each sync+exec command runs.

import { lstat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { FileChange } from './change-batch.js';
import { inside, type PathFilter } from './path-filter.js';
import type { WatchRule } from './watch-rule.js';

export interface RuleWithFilter {
  rule: WatchRule;
  filter: PathFilter;
}

export interface BatchPlan {
  rebuild: boolean;
  /** Sync rules and the changes each one copies. */
  syncs: { rule: WatchRule; changes: FileChange[] }[];
  restart: boolean;
  execs: WatchRule[];
  /** How many distinct paths triggered something. */
  changed: number;
}

export function planBatch(rules: readonly RuleWithFilter[], changes: readonly FileChange[]): BatchPlan {
  const plan: BatchPlan = { rebuild: false, syncs: [], restart: false, execs: [], changed: 0 };
  const counted = new Set<string>();
  for (const { rule, filter } of rules) {
    const mine = changes.filter((c) => filter.accepts(c.path, c.kind === 'addDir' || c.kind === 'unlinkDir'));
    if (!mine.length) continue;
    for (const c of mine) counted.add(c.path);
    if (rule.action === 'rebuild') plan.rebuild = true;
    if (rule.action.startsWith('sync')) plan.syncs.push({ rule, changes: mine });
    if (rule.action === 'restart' || rule.action === 'sync+restart') plan.restart = true;
    if (rule.action === 'sync+exec') plan.execs.push(rule);
  }
  plan.changed = counted.size;
  if (plan.rebuild) return { rebuild: true, syncs: [], restart: false, execs: [], changed: plan.changed };
  return plan;
}

export interface SyncEntry {
  host: string;
  /** Absolute path in the container. */
  container: string;
  isDir: boolean;
}

export interface SyncSet {
  copy: SyncEntry[];
  /** Absolute container paths to delete. */
  remove: string[];
}

/**
 * What a sync rule copies and deletes for its changes, by what is on disk now
 * (a path deleted and written again within the batch is copied).
 */
export async function syncSet(rule: WatchRule, changes: readonly FileChange[]): Promise<SyncSet> {
  const set: SyncSet = { copy: [], remove: [] };
  for (const c of changes) {
    const rel = inside(rule.path, c.path);
    if (rel === undefined) continue;
    const container = rel ? posix.join(rule.target!, rel) : rule.target!;
    const st = await lstat(c.path).catch(() => undefined);
    if (!st) set.remove.push(container);
    else if (st.isDirectory() || st.isFile() || st.isSymbolicLink()) set.copy.push({ host: c.path, container, isDir: st.isDirectory() });
  }
  // A deleted directory takes its files with it: one removal is enough.
  set.remove = set.remove.filter((p) => !set.remove.some((q) => q !== p && p.startsWith(`${q}/`)));
  return set;
}
