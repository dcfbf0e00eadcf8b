// `compose rm`: remove the named services' stopped containers (all when none
// are named), after asking, as docker compose does: the caller's `confirm`
// answers "Going to remove …"; without one (and without force) nothing goes.

import type { LoadOptions } from '../spec/index.js';
import { chosenServices, containersByService, eachContainer, isRunning, openScope, replicasOnly, type ContainerStep, type LifecycleOptions } from './lifecycle.js';
import { nameOf } from './session.js';
import { stop } from './stop.js';

export interface RmOptions extends LifecycleOptions {
  /** Do not ask. */
  force?: boolean;
  /** Stop running containers first (`-s`). */
  stop?: boolean;
  /** Also remove the anonymous volumes attached to them (`-v`). */
  volumes?: boolean;
  /** Stop timeout in seconds, with `stop`. */
  timeout?: number;
  /** Asked with "Going to remove a, b" unless force; resolve true to go ahead. */
  confirm?: (message: string) => Promise<boolean>;
}

export interface RmResult {
  /** The stopped containers found, as the question names them. */
  candidates: string[];
  /** "Going to remove a, b"; empty when there was nothing to remove. */
  message: string;
  removed: ContainerStep[];
  /** True when the question was answered no (or could not be asked). */
  declined: boolean;
}

export async function rm(load: LoadOptions, opts: RmOptions = {}): Promise<RmResult> {
  if (opts.stop) await stop(load, { ...opts, timeout: opts.timeout });
  const scope = await openScope(load, opts, opts.services);
  const found = await containersByService(scope, { all: true, oneoff: false, signal: opts.signal });
  const services = chosenServices(scope, opts.services, found);
  // A dry run stopped nothing, but what -s would have stopped still counts.
  const stopped = services.flatMap((s) => replicasOnly(found.get(s))).filter((c) => !isRunning(c) || (opts.stop && opts.dryRun));
  const candidates = stopped.map(nameOf);
  if (candidates.length === 0) return { candidates, message: '', removed: [], declined: false };
  const message = `Going to remove ${candidates.join(', ')}`;
  if (!opts.force && !(await opts.confirm?.(message))) return { candidates, message, removed: [], declined: true };
  const removed: ContainerStep[] = [];
  const step = opts.dryRun ? undefined : (c: { Id: string }) => scope.engine.containers.remove(c.Id, { force: opts.force, volumes: opts.volumes });
  await eachContainer(stopped, { working: 'Removing', done: 'Removed' }, step, opts.onProgress ?? (() => {}), removed);
  return { candidates, message, removed, declined: false };
}
