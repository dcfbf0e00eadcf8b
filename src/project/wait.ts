// `compose wait`: block until the services' containers stop, and answer with
// an exit code. Every container is waited on at once; the answer is the first
// non-zero exit code in the order the containers stopped (0 when all ended
// well), so a failure is never hidden by a later success.

import { GantryError } from '../common/errors.js';
import { Label } from '../common/labels.js';
import type { LoadOptions } from '../spec/index.js';
import { down } from './down.js';
import { serviceOf } from './containers.js';
import { nameOf, type EngineOptions } from './session.js';
import { openTarget } from './target.js';

export interface WaitOptions extends EngineOptions {
  /** The services to wait for; all of the project's by default. */
  services?: string[];
  /** When the first container stops, take the whole project down (`compose down`). */
  downProject?: boolean;
  /** Told as each container stops. */
  onExit?: (exit: ContainerExit) => void;
}

export interface ContainerExit {
  id: string;
  /** `app-web-1`. */
  name: string;
  service: string;
  exitCode: number;
}

export interface WaitResult {
  /** The first non-zero exit code, or 0. */
  exitCode: number;
  exits: ContainerExit[];
}

export async function wait(load: LoadOptions, opts: WaitOptions = {}): Promise<WaitResult> {
  const named = opts.services ?? [];
  const { name, project, engine } = await openTarget(load, opts, named);
  if (opts.downProject && !project) {
    throw new GantryError('usage', `cannot take project "${name}" down without its compose file`, { hint: 'run compose wait --down-project from the project directory, or give -f' });
  }
  const label = [`${Label.project}=${name}`];
  if (named.length === 1) label.push(`${Label.service}=${named[0]}`);
  const wanted = new Set(named);
  const containers = (await engine.containers.list({ filters: { label }, signal: opts.signal })).filter((c) => wanted.size === 0 || wanted.has(serviceOf(c)));
  if (containers.length === 0) {
    const which = named.length ? `services ${named.join(', ')} of project "${name}"` : `project "${name}"`;
    throw new GantryError('engine', `no running containers for ${which}`, { hint: 'start them first: compose up -d' });
  }

  const stopFirst = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stopFirst.signal]) : stopFirst.signal;
  const exits: ContainerExit[] = [];
  const waits = containers.map(async (c) => {
    const exitCode = await engine.containers.wait(c.Id, { signal });
    const exit = { id: c.Id, name: nameOf(c), service: serviceOf(c), exitCode };
    exits.push(exit);
    opts.onExit?.(exit);
    // --down-project: the first stop ends the wait for the others.
    if (opts.downProject) stopFirst.abort();
  });
  const settled = await Promise.allSettled(waits);
  if (opts.signal?.aborted) throw opts.signal.reason;
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && !stopFirst.signal.aborted);
  if (failure) throw failure.reason;

  if (opts.downProject) {
    await down({ ...load, services: undefined }, { host: opts.host, env: opts.env, removeOrphans: true, timeout: 10 });
  }
  return { exitCode: exits.find((e) => e.exitCode !== 0)?.exitCode ?? 0, exits };
}
