// `compose restart`: restart the named services' containers (all when none
// are named) in dependency order. As with docker compose, a service that
// depends on a restarted one with `restart: true` is restarted after it,
// unless --no-deps.

import type { LoadOptions } from '../spec/index.js';
import { actOnServices, chosenServices, containersByService, openScope, replicasOnly, type ContainerStep, type LifecycleOptions, type Scope } from './lifecycle.js';

export interface RestartOptions extends LifecycleOptions {
  /** Seconds to wait before SIGKILL. */
  timeout?: number;
  /** Restart only the named services, not their `restart: true` dependents. */
  noDeps?: boolean;
}

export async function restart(load: LoadOptions, opts: RestartOptions = {}): Promise<ContainerStep[]> {
  const scope = await openScope(load, opts, opts.services);
  const found = await containersByService(scope, { all: true, oneoff: false, signal: opts.signal });
  const named = chosenServices(scope, opts.services, found);
  const services = opts.noDeps || !opts.services?.length ? named : withRestartDependents(scope, named);
  return actOnServices(scope, services, 'up', {
    words: { working: 'Restarting', done: 'Started' },
    pick: (service) => replicasOnly(found.get(service)),
    act: (c, signal) => scope.engine.containers.restart(c.Id, { timeout: opts.timeout, signal }),
  }, opts);
}

/** `names` and, transitively, the services whose depends_on on them says `restart: true`. */
function withRestartDependents(scope: Scope, names: string[]): string[] {
  const project = scope.project;
  if (!project) return names;
  const out = new Set(names);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, svc] of Object.entries(project.services)) {
      if (out.has(name)) continue;
      if (Object.entries(svc.depends_on ?? {}).some(([dep, d]) => d.restart === true && out.has(dep))) {
        out.add(name);
        grew = true;
      }
    }
  }
  return [...out];
}
