// `compose ls`: the projects on the engine, found from their containers'
// com.docker.compose.project labels. Needs no compose file.

import { GantryError } from '../common/errors.js';
import { Label } from '../common/labels.js';
import type { ContainerSummary } from '../engine-client/index.js';
import { openEngine, type EngineOptions } from './session.js';

export interface LsOptions extends EngineOptions {
  /** Also projects whose containers are all stopped. */
  all?: boolean;
  /** `{name: ['^web']}`: a project is kept when its name equals, or matches as a regular expression, one of the values. */
  filters?: Record<string, string[]>;
}

export interface ProjectSummary {
  Name: string;
  /** Containers per state, states in alphabetical order: `exited(1), running(2)`. */
  Status: string;
  /** The compose files the containers were created from, comma-separated. */
  ConfigFiles: string;
}

const FILTERS = ['name'];

export async function ls(opts: LsOptions = {}): Promise<ProjectSummary[]> {
  for (const key of Object.keys(opts.filters ?? {})) {
    if (!FILTERS.includes(key)) throw new GantryError('usage', `invalid filter "${key}"`, { hint: 'the supported filter is name, e.g. --filter name=web' });
  }
  const names = opts.filters?.name ?? [];
  const patterns = names.map((n) => {
    try {
      return new RegExp(n);
    } catch {
      return undefined;
    }
  });
  const engine = await openEngine(opts);
  const list = await engine.containers.list({ all: opts.all ?? false, filters: { label: [Label.project, Label.configHash] }, signal: opts.signal });
  const byProject = new Map<string, ContainerSummary[]>();
  for (const c of list) {
    const p = c.Labels[Label.project]!;
    const group = byProject.get(p);
    if (group) group.push(c);
    else byProject.set(p, [c]);
  }
  return [...byProject.keys()]
    .sort()
    .filter((p) => names.length === 0 || names.some((n, i) => n === p || patterns[i]?.test(p)))
    .map((p) => summary(p, byProject.get(p)!));
}

function summary(name: string, containers: ContainerSummary[]): ProjectSummary {
  const counts = new Map<string, number>();
  for (const c of containers) counts.set(c.State, (counts.get(c.State) ?? 0) + 1);
  const status = [...counts.keys()]
    .sort()
    .map((s) => `${s}(${counts.get(s)})`)
    .join(', ');
  const files: string[] = [];
  let missing = false;
  for (const c of containers) {
    const label = c.Labels[Label.configFiles];
    if (label === undefined) missing = true;
    else for (const f of label.split(',')) if (f && !files.includes(f)) files.push(f);
  }
  return { Name: name, Status: status, ConfigFiles: missing ? 'N/A' : files.join(',') };
}
