// `up --wait`: return once every container of the services is running (and
// healthy, when it has a healthcheck), or has completed successfully (a
// one-shot job). Fails, naming the container, as soon as one exits non-zero
// or turns unhealthy, or when the timeout passes first.

import { GantryError } from '../common/errors.js';
import { Label } from '../common/labels.js';
import type { ContainerDetails, EngineClient } from '../engine-client/index.js';
import type { ProgressSink } from './progress.js';
import { nameOf } from './session.js';

export interface WaitHealthyOptions {
  services: string[];
  /** Seconds; no limit when undefined. */
  timeout?: number;
  signal?: AbortSignal;
  onProgress?: ProgressSink;
  /** Between two looks at the containers. */
  intervalMs?: number;
}

type Verdict = { ok: true; status: string } | { ok: false; failed?: string } | undefined;

export async function waitHealthy(engine: EngineClient, project: string, opts: WaitHealthyOptions): Promise<void> {
  const emit = opts.onProgress ?? (() => {});
  const deadline = opts.timeout === undefined ? Infinity : Date.now() + opts.timeout * 1000;
  const wanted = new Set(opts.services);
  const list = (await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${project}`, `${Label.oneoff}=False`] }, signal: opts.signal })).filter((c) => wanted.has(c.Labels[Label.service] ?? ''));
  const pending = new Map(list.map((c) => [c.Id, nameOf(c)]));
  for (const name of pending.values()) emit({ object: 'Container', name, status: 'Waiting', done: false });
  while (pending.size > 0) {
    opts.signal?.throwIfAborted();
    for (const [id, name] of [...pending]) {
      const details = await engine.containers.inspect(id, { signal: opts.signal });
      if (!details) throw new GantryError('engine', `container ${name} disappeared while waiting for it`);
      const v = verdict(details);
      if (v === undefined) continue;
      if (!v.ok) {
        emit({ object: 'Container', name, status: 'Error', detail: v.failed, done: true });
        throw new GantryError('engine', `container ${name} ${v.failed}`, { hint: `see its output: compose logs ${details.Config?.Labels?.[Label.service] ?? ''}`.trimEnd() });
      }
      pending.delete(id);
      emit({ object: 'Container', name, status: v.status, done: true });
    }
    if (pending.size === 0) break;
    if (Date.now() >= deadline) {
      throw new GantryError('engine', `timed out after ${opts.timeout}s waiting for ${[...pending.values()].join(', ')} to be running and healthy`, { hint: 'raise --wait-timeout, or look at: compose ps' });
    }
    await sleep(Math.min(opts.intervalMs ?? 250, Math.max(0, deadline - Date.now())), opts.signal);
  }
}

/** ok when ready, a failure when it can no longer become ready, undefined while it still may. */
function verdict(c: ContainerDetails): Verdict {
  const s = c.State;
  if (s.Status === 'exited' || s.Status === 'dead') {
    return s.ExitCode === 0 ? { ok: true, status: 'Exited' } : { ok: false, failed: `exited with code ${s.ExitCode}` };
  }
  if (!s.Running) return undefined;
  const health = s.Health?.Status;
  if (health === undefined || health === 'none') return { ok: true, status: 'Running' };
  if (health === 'healthy') return { ok: true, status: 'Healthy' };
  if (health === 'unhealthy') return { ok: false, failed: 'is unhealthy' };
  return undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
