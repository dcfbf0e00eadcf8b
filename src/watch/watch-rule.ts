// One `develop.watch` entry as the watcher carries it out. The loader has
// already resolved `path` against the project directory and put `exec.command`
// in list form; this checks what the watcher relies on, so a rule it cannot
// carry out is refused before anything is watched.

import { isAbsolute } from 'node:path';
import { GantryError } from '../common/errors.js';

export const WATCH_ACTIONS = ['sync', 'sync+restart', 'sync+exec', 'restart', 'rebuild'] as const;
export type WatchAction = (typeof WATCH_ACTIONS)[number];

export interface WatchExec {
  command: string[];
  user?: string;
  privileged?: boolean;
  workingDir?: string;
  environment?: Record<string, string | null>;
}

export interface WatchRule {
  service: string;
  /** Absolute host path: a directory or one file. */
  path: string;
  action: WatchAction;
  /** Container path the sync actions copy to (absolute). */
  target?: string;
  /** Patterns relative to `path`, .dockerignore syntax. */
  ignore: string[];
  /** When set, only paths matching one of these (relative to `path`) count. */
  include: string[];
  exec?: WatchExec;
  initialSync: boolean;
  /** Where the rule is written, for errors: `services.web.develop.watch[0]`. */
  where: string;
}

/** The rules of one service, from its normalized `develop.watch` list. */
export function watchRules(service: string, entries: readonly Record<string, unknown>[]): WatchRule[] {
  return entries.map((e, i) => watchRule(service, e, `services.${service}.develop.watch[${i}]`));
}

function watchRule(service: string, e: Record<string, unknown>, where: string): WatchRule {
  const path = e.path;
  if (typeof path !== 'string' || !isAbsolute(path)) throw new GantryError('value', 'a watch rule needs a path', { path: where, hint: 'path: ./src (relative to the project directory)' });
  const action = e.action;
  if (!WATCH_ACTIONS.includes(action as WatchAction)) {
    throw new GantryError('value', `unknown watch action "${String(action)}"`, { path: `${where}.action`, hint: `use one of ${WATCH_ACTIONS.join(', ')}` });
  }
  const a = action as WatchAction;
  const target = typeof e.target === 'string' ? e.target : undefined;
  if (a.startsWith('sync') && (!target || !target.startsWith('/'))) {
    throw new GantryError('value', `action ${a} needs an absolute target: the path in the container to copy to`, { path: `${where}.target`, hint: 'target: /app' });
  }
  const exec = execOf(e.exec, `${where}.exec`);
  if (a === 'sync+exec' && !exec) throw new GantryError('value', 'action sync+exec needs exec.command', { path: `${where}.exec`, hint: 'exec: { command: ["kill", "-HUP", "1"] }' });
  return {
    service,
    path,
    action: a,
    target,
    ignore: strings(e.ignore),
    include: strings(e.include),
    exec,
    initialSync: e.initial_sync === true || e.initial_sync === 'true',
    where,
  };
}

function execOf(v: unknown, where: string): WatchExec | undefined {
  if (v === undefined || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const cmd = typeof o.command === 'string' ? ['/bin/sh', '-c', o.command] : o.command;
  if (!Array.isArray(cmd) || !cmd.length || !cmd.every((c) => typeof c === 'string')) {
    throw new GantryError('value', 'exec needs a command', { path: `${where}.command`, hint: 'command: ["kill", "-HUP", "1"]' });
  }
  return {
    command: cmd as string[],
    user: typeof o.user === 'string' ? o.user : undefined,
    privileged: o.privileged === true,
    workingDir: typeof o.working_dir === 'string' ? o.working_dir : undefined,
    environment: o.environment && typeof o.environment === 'object' ? (o.environment as Record<string, string | null>) : undefined,
  };
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}
