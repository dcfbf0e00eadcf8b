// A command's working set: the loaded project and a connected engine. Every
// engine-facing command starts here, so host choice and container lookup by
// compose labels are decided in one place.

import { connect, type ContainerSummary, type EngineClient } from '../engine-client/index.js';
import { Label } from '../common/labels.js';
import { loadProject, type LoadOptions, type Project } from '../spec/index.js';

export interface EngineOptions {
  /** `-H/--host`; else DOCKER_HOST; else the default engine. */
  host?: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** One-line notices for the user, such as the embedded engine being started on demand. */
  onNotice?: (message: string) => void;
  /** Start the embedded engine when it is the one chosen and not running (default true). */
  startEmbedded?: boolean;
}

export interface Session {
  project: Project;
  engine: EngineClient;
}

export async function openEngine(opts: EngineOptions = {}): Promise<EngineClient> {
  return connect({ host: opts.host, env: opts.env, signal: opts.signal, onNotice: opts.onNotice, startEmbedded: opts.startEmbedded });
}

/** Load the project and connect, concurrently: neither needs the other. */
export async function openSession(load: LoadOptions, engine: EngineOptions = {}): Promise<Session> {
  const [project, client] = await Promise.all([loadProject(load), openEngine(engine)]);
  return { project, engine: client };
}

export interface ContainerQuery {
  /** Include stopped containers. */
  all?: boolean;
  /** Only these services. */
  services?: string[];
  /** true: only one-off (`run`) containers; false: only service replicas; undefined: both. */
  oneoff?: boolean;
}

/** The project's containers, found by their compose labels, sorted by service then number. */
export async function projectContainers(engine: EngineClient, projectName: string, q: ContainerQuery = {}): Promise<ContainerSummary[]> {
  const label = [`${Label.project}=${projectName}`];
  if (q.oneoff !== undefined) label.push(`${Label.oneoff}=${q.oneoff ? 'True' : 'False'}`);
  if (q.services?.length === 1) label.push(`${Label.service}=${q.services[0]}`);
  const list = await engine.containers.list({ all: q.all ?? false, filters: { label } });
  const wanted = q.services && q.services.length > 1 ? new Set(q.services) : undefined;
  return list
    .filter((c) => !wanted || wanted.has(c.Labels[Label.service] ?? ''))
    .sort((a, b) => {
      const s = (a.Labels[Label.service] ?? '').localeCompare(b.Labels[Label.service] ?? '');
      return s !== 0 ? s : Number(a.Labels[Label.containerNumber] ?? 0) - Number(b.Labels[Label.containerNumber] ?? 0);
    });
}

/** `hello-web-1` from `/hello-web-1`. */
export function nameOf(c: ContainerSummary): string {
  return (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
}
