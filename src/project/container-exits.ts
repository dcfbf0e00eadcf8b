// Exits of a project's containers as they happen, from the engine's `die`
// events. Subscribed with a `since` from before the plan runs, so a one-shot
// job that exits within milliseconds of its start is still seen.

import { Label } from '../common/labels.js';
import type { EngineClient } from '../engine-client/index.js';
import { isOneoff } from './containers.js';

export interface ContainerExitEvent {
  id: string;
  /** `app-web-1`. */
  name: string;
  service: string;
  exitCode: number;
}

export interface ExitWatch {
  /** Ends the subscription. */
  close(): void;
  /** Settles when the subscription has ended; rejects when the event stream failed. */
  done: Promise<void>;
}

export function watchExits(engine: EngineClient, project: string, since: number, onExit: (e: ContainerExitEvent) => void): ExitWatch {
  const stop = new AbortController();
  const done = (async () => {
    const events = engine.system.events({ since, filters: { type: ['container'], event: ['die'], label: [`${Label.project}=${project}`] }, signal: stop.signal });
    for await (const e of events) {
      const attrs = e.Actor?.Attributes ?? {};
      if (isOneoff({ Labels: attrs })) continue;
      onExit({ id: e.Actor.ID, name: attrs.name ?? e.Actor.ID.slice(0, 12), service: attrs[Label.service] ?? '', exitCode: Number(attrs.exitCode ?? 0) || 0 });
    }
  })();
  return { close: () => stop.abort(), done };
}

/** The engine's clock (unix seconds, fractional), for `since` arguments that must not miss anything. */
export async function engineClock(engine: EngineClient): Promise<number> {
  try {
    const info = await engine.system.info();
    const t = typeof info.SystemTime === 'string' ? Date.parse(info.SystemTime) : NaN;
    // Date.parse keeps milliseconds; a millisecond back covers the truncated nanoseconds.
    if (Number.isFinite(t)) return (t - 1) / 1000;
  } catch {
    // Fall back to the local clock, with room for a little skew.
  }
  return (Date.now() - 2000) / 1000;
}
