// Before any container is created: every image the plan needs is on the
// engine, pulled through the engine (`POST /images/create`) as --pull and
// each service's pull_policy say. Building is not here yet, so a service that
// only has `build:` can only run an image that is already there.

import { GantryError } from '../common/errors.js';
import type { EngineClient } from '../engine-client/index.js';
import type { Plan } from '../plan/index.js';
import type { Project } from '../spec/types.js';
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
  for (const [name] of creating) {
    const svc = project.services[name]!;
    if (!svc.image) {
      if (!svc.build) continue;
      const image = `${project.name}-${name}`;
      if (opts.build === true) throw notBuildable(name, 'cannot build it (--build)');
      if (await engine.images.inspect(image, { signal: opts.signal })) continue;
      if (opts.build === false) throw new GantryError('usage', `service "${name}" has no image and --no-build forbids building ${image}`, { hint: `set an image for "${name}", or drop --no-build` });
      throw notBuildable(name, `its image ${image} is missing`);
    }
    const policy = opts.pull ?? policyOf(name, svc.pull_policy, Boolean(svc.build));
    if (policy === 'build') continue;
    const prev = pulls.get(svc.image);
    if (prev !== 'always') pulls.set(svc.image, policy);
  }
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

function notBuildable(service: string, why: string): GantryError {
  return new GantryError('usage', `service "${service}" needs an image build, and ${why}: building images is not supported yet`, { hint: `build it with docker build -t ${service} and set image:, or give "${service}" an image` });
}
