// `compose logs`: the output of the project's containers as one stream of
// lines tagged with their container, merged as they arrive. Streams with
// backpressure, never buffers a whole log; with `follow`, keeps up with
// containers that restart, are recreated or are added (see log-reader.ts).

import { GantryError } from '../common/errors.js';
import { Label } from '../common/labels.js';
import type { ContainerSummary } from '../engine-client/index.js';
import type { LoadOptions, Project } from '../spec/index.js';
import { isOneoff, numberOf, serviceContainers, serviceOf } from './containers.js';
import { engineTime } from './log-time.js';
import { LogReader, type LogSource, type ServiceLogLine } from './log-reader.js';
import type { EngineOptions } from './session.js';
import { openTarget } from './target.js';

export type { LogSource, ServiceLogLine } from './log-reader.js';

export interface LogsRequest extends EngineOptions {
  /** Only these services; by default every service of the project that is attached (`attach: false` ones are left out). */
  services?: string[];
  follow?: boolean;
  /** Lines from the end of each container's log; all by default. */
  tail?: number;
  timestamps?: boolean;
  /** RFC 3339, unix seconds, or a duration before now (`42m`). */
  since?: string;
  until?: string;
  /** Only the replica with this number; needs exactly one service. */
  index?: number;
  /** Told of each container before its first line, and of each one a follow picks up. */
  onSource?: (source: LogSource) => void;
}

export async function* logs(load: LoadOptions, req: LogsRequest = {}): AsyncGenerator<ServiceLogLine> {
  const named = req.services ?? [];
  if (req.index !== undefined && named.length !== 1) {
    throw new GantryError('usage', '--index needs exactly one service', { hint: 'name the service: compose logs --index 2 web' });
  }
  const now = Date.now();
  const since = req.since === undefined ? undefined : engineTime(req.since, '--since', now);
  const until = req.until === undefined ? undefined : engineTime(req.until, '--until', now);
  const { name, project, engine } = await openTarget(load, req, named);
  const services = named.length ? named : project ? attachedServices(project) : undefined;

  let initial: ContainerSummary[];
  if (req.index !== undefined) {
    initial = await serviceContainers(engine, name, { service: named[0]!, index: req.index, all: true, signal: req.signal });
    if (!initial.length) throw new GantryError('engine', `service "${named[0]}" has no container #${req.index}`, { hint: `see the replicas with: compose ps -a ${named[0]}` });
  } else {
    const label = [`${Label.project}=${name}`, `${Label.oneoff}=False`];
    if (services?.length === 1) label.push(`${Label.service}=${services[0]}`);
    const list = await engine.containers.list({ all: true, filters: { label }, signal: req.signal });
    const wanted = services ? new Set(services) : undefined;
    initial = list.filter((c) => !wanted || wanted.has(serviceOf(c))).sort((a, b) => serviceOf(a).localeCompare(serviceOf(b)) || numberOf(a) - numberOf(b));
  }

  const serviceSet = services ? new Set(services) : undefined;
  const reader = new LogReader(engine, name, {
    follow: Boolean(req.follow),
    tail: req.tail,
    since,
    until,
    timestamps: Boolean(req.timestamps),
    wanted: (labels) =>
      !isOneoff({ Labels: labels }) &&
      (!serviceSet || serviceSet.has(labels[Label.service] ?? '')) &&
      (req.index === undefined || labels[Label.containerNumber] === String(req.index)),
    onSource: req.onSource,
    signal: req.signal,
  });
  yield* reader.read(initial);
}

/** The services whose output `logs` shows by default: all but `attach: false` ones. */
function attachedServices(project: Project): string[] {
  return Object.values(project.services)
    .filter((s) => s.attach !== false)
    .map((s) => s.name);
}
