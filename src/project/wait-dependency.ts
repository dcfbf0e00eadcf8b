// depends_on conditions, checked against the engine before a service starts:
// service_healthy waits for a healthcheck to pass, service_completed_successfully
// for the dependency to exit 0. A failed dependency stops the start with the reason.

import { GantryError } from '../common/errors.js';
import type { EngineClient } from '../engine-client/index.js';
import type { ServiceDependency } from '../spec/types.js';

export async function waitForDependency(engine: EngineClient, service: string, dependency: string, dep: ServiceDependency, containers: string[], signal?: AbortSignal): Promise<void> {
  if (dep.condition === 'service_started') return;
  for (const name of containers) {
    for (;;) {
      signal?.throwIfAborted();
      const c = await engine.containers.inspect(name, { signal });
      if (!c) throw new GantryError('engine', `service "${service}" depends on "${dependency}", whose container ${name} disappeared`);
      const state = c.State;
      if (dep.condition === 'service_completed_successfully') {
        if (!state.Running && state.Status !== 'created') {
          if (state.ExitCode === 0) break;
          throw new GantryError('engine', `service "${service}" depends on "${dependency}" completing successfully, but ${name} exited with code ${state.ExitCode}`, { hint: `see its output: compose logs ${dependency}` });
        }
      } else {
        const health = state.Health?.Status;
        if (health === undefined) {
          throw new GantryError('engine', `service "${service}" waits for "${dependency}" to be healthy, but ${name} has no healthcheck`, { hint: `add a healthcheck to "${dependency}", or use condition: service_started` });
        }
        if (health === 'healthy') break;
        if (health === 'unhealthy') throw new GantryError('engine', `dependency failed to start: container ${name} is unhealthy`, { hint: `see its healthcheck log: docker inspect ${name}` });
        if (!state.Running) throw new GantryError('engine', `dependency failed to start: container ${name} exited with code ${state.ExitCode} before it was healthy`);
      }
      await sleep(200, signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}
