// `compose logs`: every container's output as one stream of prefixed lines,
// merged as they arrive. Streams, never buffers.

import type { LogsOptions } from '../engine-client/index.js';
import type { LoadOptions } from '../spec/index.js';
import { Label } from '../common/labels.js';
import { nameOf, openSession, projectContainers, type EngineOptions } from './session.js';

export interface LogsRequest extends EngineOptions {
  services?: string[];
  follow?: boolean;
  tail?: number;
  timestamps?: boolean;
  since?: string;
  until?: string;
  /** Only the replica with this number. */
  index?: number;
}

export interface ServiceLogLine {
  /** `web-1`: the service and replica number, as docker compose prefixes. */
  source: string;
  service: string;
  stream: 'stdout' | 'stderr';
  line: string;
  timestamp?: string;
}

export async function* logs(load: LoadOptions, req: LogsRequest = {}): AsyncIterable<ServiceLogLine> {
  const { project, engine } = await openSession({ ...load, services: req.services ?? load.services }, req);
  let containers = await projectContainers(engine, project.name, { all: true, services: req.services });
  if (req.index !== undefined) containers = containers.filter((c) => c.Labels[Label.containerNumber] === String(req.index));
  const opts: LogsOptions = { follow: req.follow, tail: req.tail, timestamps: req.timestamps, since: relative(req.since), until: relative(req.until), signal: req.signal };
  // Merge the per-container iterators: whichever has a line next yields it.
  const iterators = containers.map((c) => {
    const service = c.Labels[Label.service] ?? nameOf(c);
    const source = `${service}-${c.Labels[Label.containerNumber] ?? '1'}`;
    return { source, service, it: engine.containers.logs(c.Id, opts)[Symbol.asyncIterator]() };
  });
  const pending = new Map<number, Promise<{ i: number; r: IteratorResult<{ stream: 'stdout' | 'stderr'; line: string; timestamp?: string }> }>>();
  const pull = (i: number) => pending.set(i, iterators[i]!.it.next().then((r) => ({ i, r })));
  iterators.forEach((_, i) => pull(i));
  while (pending.size > 0) {
    const { i, r } = await Promise.race(pending.values());
    if (r.done) {
      pending.delete(i);
      continue;
    }
    pull(i);
    const src = iterators[i]!;
    yield { source: src.source, service: src.service, stream: r.value.stream, line: r.value.line, timestamp: r.value.timestamp };
  }
}

/** `42m`, `1h30m`, `10s` → an absolute time; RFC 3339 and unix seconds pass through. */
export function relative(v: string | undefined, now = Date.now()): string | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v);
  if (!m) return v;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return String(Math.floor((now - Number(m[1]) * unit) / 1000));
}
