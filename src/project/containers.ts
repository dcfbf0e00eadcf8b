// A project's containers, found by their compose labels in one list call,
// and named the way docker compose names them in its output.

import { GantryError } from '../common/errors.js';
import { containerName, Label } from '../common/labels.js';
import type { ContainerSummary, EngineClient, Filters } from '../engine-client/index.js';
import { nameOf } from './session.js';

export interface ServiceContainerQuery {
  service: string;
  /** `--index`: the replica with this container number; else the lowest-numbered. */
  index?: number;
  /** Also consider stopped containers. */
  all?: boolean;
  /** Also consider one-off (`run`) containers, after the service's replicas. */
  oneoff?: boolean;
  signal?: AbortSignal;
}

/** The one container a command such as exec, port or cp acts on. */
export async function serviceContainer(engine: EngineClient, project: string, q: ServiceContainerQuery): Promise<ContainerSummary> {
  const list = await serviceContainers(engine, project, q);
  const first = list[0];
  if (!first) throw notRunning(q.service, q.index);
  return first;
}

/** The service's containers (all of them, or the one with `index`), replicas by number, one-offs last. */
export async function serviceContainers(engine: EngineClient, project: string, q: ServiceContainerQuery): Promise<ContainerSummary[]> {
  const label = [`${Label.project}=${project}`, `${Label.service}=${q.service}`];
  if (!q.oneoff) label.push(`${Label.oneoff}=False`);
  if (q.index !== undefined && q.index > 0) label.push(`${Label.containerNumber}=${q.index}`);
  const filters: Filters = { label };
  const list = await engine.containers.list({ all: q.all ?? false, filters, signal: q.signal });
  return list.sort(byReplica);
}

export function notRunning(service: string, index?: number): GantryError {
  const which = index ? ` container #${index}` : '';
  return new GantryError('engine', `service "${service}" is not running${which}`, {
    hint: `start it with: compose up -d ${service}`,
  });
}

/** Replicas by container number, one-off containers after them. */
export function byReplica(a: ContainerSummary, b: ContainerSummary): number {
  const oa = isOneoff(a);
  const ob = isOneoff(b);
  if (oa !== ob) return oa ? 1 : -1;
  return numberOf(a) - numberOf(b);
}

export function isOneoff(c: { Labels: Record<string, string> }): boolean {
  return c.Labels[Label.oneoff] === 'True';
}

export function numberOf(c: { Labels: Record<string, string> }): number {
  return Number(c.Labels[Label.containerNumber] ?? 0) || 0;
}

export function serviceOf(c: { Labels: Record<string, string> }): string {
  return c.Labels[Label.service] ?? '';
}

/**
 * The name logs and events use: `web-1` for `app-web-1`, but a custom
 * `container_name` in full, since stripping the project would garble it.
 */
export function shortName(c: ContainerSummary): string {
  const name = nameOf(c);
  return stripProject(name, c.Labels);
}

export function stripProject(name: string, labels: Record<string, string>): string {
  const project = labels[Label.project];
  const service = labels[Label.service];
  const number = labels[Label.containerNumber];
  if (!project || !service || !number) return name;
  return name === containerName(project, service, Number(number)) ? name.slice(project.length + 1) : name;
}
