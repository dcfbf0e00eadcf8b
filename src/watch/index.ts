// watch/ carries out `develop.watch`: chokidar on the rules' paths, the
// ignore rules docker compose applies (defaults, the rule's own patterns, the
// build context's .dockerignore, `include`), batching of bursts of changes,
// and the plan for each batch (sync these paths, restart, exec, or rebuild).
// It knows no engine: project/watch.ts does what the plan says.

export { WATCH_ACTIONS, watchRules, type WatchAction, type WatchExec, type WatchRule } from './watch-rule.js';
export { PathFilter, readContextIgnore, ignoreLines, isDefaultIgnored, inside, type ContextIgnore } from './path-filter.js';
export { ChangeBatcher, type BatcherOptions, type ChangeKind, type FileChange } from './change-batch.js';
export { watchFiles, type FileWatcher, type FileWatcherOptions } from './file-watcher.js';
export { planBatch, syncSet, type BatchPlan, type RuleWithFilter, type SyncEntry, type SyncSet } from './batch-plan.js';
export { everything } from './initial-sync.js';
export { buildContextFiles } from './build-context.js';
