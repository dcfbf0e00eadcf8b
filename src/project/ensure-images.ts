// Before any container is created: every image the plan needs is on the
// engine: built from the service's build section (`--build`, pull_policy
// build, or its image missing), else pulled through the engine
// (`POST /images/create`) as --pull and each service's pull_policy say.

import { GantryError } from '../common/errors.js';
import type { EngineClient } from '../engine-client/index.js';
import type { Plan } from '../plan/index.js';
import type { Project } from '../spec/types.js';
import { buildServices, builtImageName } from './build.js';
import type { ProgressSink } from './progress.js';

export type PullPolicy = 'always' | 'missing' | 'never';

export interface EnsureImagesOptions {
  /** `--pull`; else each service's pull_policy; else `missing`. */
  pull?: PullPolicy;
  /** true: `--build`; false: `--no-build`; undefined: build only what is missing. */
  build?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressSink;
}

export async function ensureImages(engine: EngineClient, project: Project, plan: Plan, opts: EnsureImagesOptions = {}): Promise<void> {
  const emit = opts.onProgress ?? (() => {});
  const creating = Object.entries(plan.services).filter(([, actions]) => actions.some((a) => a.kind === 'create-container' || a.kind === 'recreate-container'));
  const pulls = new Map<string, PullPolicy>();
  const builds: string[] = [];
  for (const [name] of creating) {
    const svc = project.services[name]!;
    if (svc.build) {
      const image = builtImageName(project, name);
      if (opts.build === true || svc.pull_policy === 'build') {
        builds.push(name);
        continue;
      }
      if (await engine.images.inspect(image, { signal: opts.signal })) continue;
      if (opts.build !== false) {
        builds.push(name);
        continue;
      }
      if (!svc.image) throw new GantryError('usage', `service "${name}" has no image and --no-build forbids building ${image}`, { hint: `set an image for "${name}", or drop --no-build` });
    }
    if (!svc.image) continue;
    const policy = opts.pull ?? policyOf(name, svc.pull_policy, Boolean(svc.build));
    if (policy === 'build') continue;
    const prev = pulls.get(svc.image);
    if (prev !== 'always') pulls.set(svc.image, policy);
  }
  const building = buildServices(engine, project, builds, { signal: opts.signal, onProgress: emit });
  await Promise.all(
    [...pulls].map(async ([image, policy]) => {
      if (policy !== 'always' && (await engine.images.inspect(image, { signal: opts.signal }))) return;
      if (policy === 'never') throw new GantryError('engine', `image ${image} is not on the engine and pulling is off (--pull never)`, { hint: `pull it first, or use --pull missing` });
      emit({ object: 'Image', name: image, status: 'Pulling', done: false });
      try {
        for await (const _ of engine.images.pull(image, { signal: opts.signal })) {
          // The per-layer messages are not shown yet; draining them lets the pull finish.
        }
      } catch (e) {
        emit({ object: 'Image', name: image, status: 'Error', detail: e instanceof Error ? e.message : String(e), done: true });
        throw new GantryError('engine', `could not pull image ${image}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      emit({ object: 'Image', name: image, status: 'Pulled', done: true });
    }),
  );
  await building;
}

/**
 * Before planning: `--build` builds the chosen services' images first; then
 * the id of each chosen service's image as the engine has it now, for the
 * plan to recreate containers made from an older one.
 */
export async function currentImages(engine: EngineClient, project: Project, services: string[], opts: { build?: boolean; dryRun?: boolean; signal?: AbortSignal; onProgress?: ProgressSink }): Promise<Record<string, string>> {
  if (opts.build === true && !opts.dryRun) {
    await buildServices(engine, project, services.filter((s) => project.services[s]?.build), { signal: opts.signal, onProgress: opts.onProgress });
  }
  const refOf = (s: string) => project.services[s]?.image ?? (project.services[s]?.build ? builtImageName(project, s) : undefined);
  const refs = [...new Set(services.map(refOf).filter((r): r is string => Boolean(r)))];
  const ids = new Map(await Promise.all(refs.map(async (r) => [r, (await engine.images.inspect(r, { signal: opts.signal }))?.Id] as const)));
  const out: Record<string, string> = {};
  for (const s of services) {
    const id = ids.get(refOf(s) ?? '');
    if (id) out[s] = id;
  }
  return out;
}

function policyOf(service: string, policy: string | undefined, hasBuild: boolean): PullPolicy | 'build' {
  switch (policy) {
    case undefined:
    case 'missing':
    case 'if_not_present':
      return 'missing';
    case 'always':
    case 'never':
      return policy;
    case 'build':
      return hasBuild ? 'build' : 'missing';
    default:
      // `daily`, `every_2h`…: without a record of the last pull, the safe reading is "when missing".
      if (/^(daily|weekly|every_\w+)$/.test(policy)) return 'missing';
      throw new GantryError('value', `service "${service}" has an unknown pull_policy "${policy}"`, { hint: 'use always, missing, never or build' });
  }
}
