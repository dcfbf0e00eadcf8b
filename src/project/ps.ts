// `compose ps`: the project's containers and their state, from one list call
// whatever the number of services. docker compose inspects every container
// for its health and exit code; both are already in the list's Status text
// ("Up 3 minutes (healthy)", "Exited (2) 5 seconds ago"), so none is needed.

import { GantryError } from '../common/errors.js';
import { Label } from '../common/labels.js';
import type { ContainerSummary, Filters } from '../engine-client/index.js';
import type { LoadOptions } from '../spec/index.js';
import { serviceOf } from './containers.js';
import { nameOf, type EngineOptions } from './session.js';
import { openTarget } from './target.js';

export const CONTAINER_STATES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'] as const;

export interface PsOptions extends EngineOptions {
  /** Only these services' containers. */
  services?: string[];
  /** Stopped containers and one-off (`run`) containers too. */
  all?: boolean;
  /** Only containers in one of these states; implies `all`. */
  status?: string[];
  /** false: leave out containers of services the compose file does not declare. Default true. */
  orphans?: boolean;
}

/** docker compose's PortPublisher: a published port, or an exposed one (URL empty, PublishedPort 0). */
export interface Publisher {
  URL: string;
  TargetPort: number;
  PublishedPort: number;
  Protocol: string;
}

/**
 * A container as docker compose's API describes it (its api.ContainerSummary),
 * in the same PascalCase field names, which `ps --format json` also uses.
 */
export interface PsRow {
  /** The full ID. */
  ID: string;
  /** `app-web-1`. */
  Name: string;
  Names: string[];
  Image: string;
  Command: string;
  Project: string;
  Service: string;
  /** Unix seconds. */
  Created: number;
  /** `running`, `exited`, … */
  State: string;
  /** The engine's words: `Up 3 minutes (healthy)`. */
  Status: string;
  /** `starting`, `healthy`, `unhealthy`; empty without a healthcheck or when not running. */
  Health: string;
  /** The exit code of an exited container; 0 otherwise. */
  ExitCode: number;
  Publishers: Publisher[];
  Labels: Record<string, string>;
  /** Volume names, or bind sources. */
  Mounts: string[];
  Networks: string[];
  LocalVolumes: number;
}

export async function ps(load: LoadOptions, opts: PsOptions = {}): Promise<PsRow[]> {
  for (const s of opts.status ?? []) checkState(s);
  const named = opts.services ?? [];
  const { name, project, engine } = await openTarget(load, opts, named);
  let services = named.length ? named : undefined;
  if (!services && project && opts.orphans === false) services = [...Object.keys(project.services), ...Object.keys(project.disabledServices)];

  const all = Boolean(opts.all || opts.status?.length);
  const label = [`${Label.project}=${name}`];
  if (!opts.all) label.push(`${Label.oneoff}=False`);
  if (services?.length === 1) label.push(`${Label.service}=${services[0]}`);
  const filters: Filters = { label };
  if (opts.status?.length) filters.status = opts.status;
  const list = await engine.containers.list({ all, filters, signal: opts.signal });

  const wanted = services && services.length > 1 ? new Set(services) : undefined;
  return list
    .filter((c) => !wanted || wanted.has(serviceOf(c)))
    .map(psRow)
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

function checkState(s: string): void {
  if (!(CONTAINER_STATES as readonly string[]).includes(s)) {
    throw new GantryError('usage', `invalid status "${s}"`, { hint: `use one of: ${CONTAINER_STATES.join(', ')}` });
  }
}

export function psRow(c: ContainerSummary): PsRow {
  return {
    ID: c.Id,
    Name: nameOf(c),
    Names: c.Names.map((n) => n.replace(/^\//, '')),
    Image: c.Image,
    Command: c.Command,
    Project: c.Labels[Label.project] ?? '',
    Service: serviceOf(c),
    Created: c.Created,
    State: c.State,
    Status: c.Status,
    Health: c.State === 'running' ? healthOf(c.Status) : '',
    ExitCode: c.State === 'exited' || c.State === 'dead' ? exitCodeOf(c.Status) : 0,
    Publishers: publishersOf(c),
    Labels: c.Labels,
    Mounts: (c.Mounts ?? []).map((m) => m.Name || m.Source),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
    LocalVolumes: (c.Mounts ?? []).filter((m) => m.Driver === 'local').length,
  };
}

/** `Up 3 minutes (health: starting)` → `starting`. */
export function healthOf(status: string): string {
  const m = /\((healthy|unhealthy|health: starting)\)/.exec(status);
  if (!m) return '';
  return m[1] === 'health: starting' ? 'starting' : m[1]!;
}

/** `Exited (137) 2 seconds ago` → 137. */
export function exitCodeOf(status: string): number {
  const m = /^Exited \((-?\d+)\)/.exec(status);
  return m ? Number(m[1]) : 0;
}

function publishersOf(c: ContainerSummary): Publisher[] {
  return (c.Ports ?? [])
    .map((p) => ({ URL: p.IP ?? '', TargetPort: p.PrivatePort, PublishedPort: p.PublicPort ?? 0, Protocol: p.Type }))
    .sort((a, b) => a.TargetPort - b.TargetPort || a.URL.localeCompare(b.URL) || a.PublishedPort - b.PublishedPort || a.Protocol.localeCompare(b.Protocol));
}
