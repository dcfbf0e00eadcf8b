// `compose events`: the engine's events for the project's containers, as
// docker compose reports them: the action, the container, its service, and
// the event's attributes without compose's own labels.

import { Label } from '../common/labels.js';
import type { LoadOptions } from '../spec/index.js';
import { isOneoff } from './containers.js';
import { engineTime } from './log-time.js';
import type { EngineOptions } from './session.js';
import { openTarget } from './target.js';

export interface EventsOptions extends EngineOptions {
  services?: string[];
  /** Replay events since then: RFC 3339, unix seconds, or a duration before now (`10m`). */
  since?: string;
  /** Stop at that time; without it, events flow until the signal aborts. */
  until?: string;
}

/** docker compose's `events --json` object. */
export interface ComposeEvent {
  /** RFC 3339 with nanoseconds, UTC. */
  time: string;
  type: 'container';
  /** `create`, `start`, `die`, `health_status: healthy`, … */
  action: string;
  /** The container's full ID. */
  id: string;
  service: string;
  /** The event's attributes (image, name, exitCode, the container's own labels), compose's labels left out. */
  attributes: Record<string, string>;
}

export async function* events(load: LoadOptions, opts: EventsOptions = {}): AsyncGenerator<ComposeEvent> {
  const now = Date.now();
  const since = opts.since === undefined ? undefined : engineTime(opts.since, '--since', now);
  const until = opts.until === undefined ? undefined : engineTime(opts.until, '--until', now);
  const named = opts.services ?? [];
  const { name, engine } = await openTarget(load, opts, named);
  const wanted = new Set(named);
  const stream = engine.system.events({ since, until, filters: { type: ['container'], label: [`${Label.project}=${name}`] }, signal: opts.signal });
  for await (const e of stream) {
    const attrs = e.Actor?.Attributes ?? {};
    if (e.Type !== 'container' || isOneoff({ Labels: attrs })) continue;
    const service = attrs[Label.service] ?? '';
    if (wanted.size && !wanted.has(service)) continue;
    const attributes: Record<string, string> = {};
    for (const k of Object.keys(attrs).sort()) if (!k.startsWith('com.docker.compose.')) attributes[k] = attrs[k]!;
    yield { time: eventTime(e.time, e.timeNano), type: 'container', action: e.Action, id: e.Actor.ID, service, attributes };
  }
}

/**
 * The event's time with its nanoseconds: `2024-05-01T10:00:00.123456789Z`.
 * timeNano is past 2^53, so JSON hands it over rounded to 256 ns; the
 * seconds come from the exact `time`, the fraction from the difference.
 */
export function eventTime(seconds: number, nanos?: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (!nanos) return `${base}Z`;
  const fraction = Math.min(999_999_999, Math.max(0, Math.round(nanos - seconds * 1e9)));
  return `${base}.${String(fraction).padStart(9, '0')}Z`;
}
