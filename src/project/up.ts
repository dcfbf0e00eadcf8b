// `compose up` (detached) and `compose create`: load, observe, plan, pull,
// execute, and with --wait, wait until the services are ready. Attached up is
// in attach.ts.

import { buildGraph } from '../graph/index.js';
import { formatPlan, planUp, upServices, type Plan, type UpPlanOptions } from '../plan/index.js';
import type { LoadOptions } from '../spec/index.js';
import { currentImages, ensureImages, type PullPolicy } from './ensure-images.js';
import { executePlan } from './executor.js';
import { observe } from './observe.js';
import type { ProgressSink } from './progress.js';
import { openSession, type EngineOptions } from './session.js';
import { waitHealthy } from './wait-healthy.js';

export interface UpOptions extends UpPlanOptions, EngineOptions {
  dryRun?: boolean;
  noStart?: boolean;
  timeout?: number;
  parallel?: number;
  onProgress?: ProgressSink;
  /** `--pull`: when to pull the images (default: each service's pull_policy, else when missing). */
  pull?: PullPolicy;
  /** true: `--build`; false: `--no-build`. */
  build?: boolean;
  /** `--wait`: return once the services are running and healthy (or completed successfully). */
  wait?: boolean;
  /** `--wait-timeout`, seconds. */
  waitTimeout?: number;
}

export interface UpResult {
  plan: Plan;
  /** The plan as `--dry-run` prints it. */
  text: string;
  executed: boolean;
}

/**
 * What attached and detached `up` share before acting: the project, the
 * engine, and the plan made against what runs and the images as they are now
 * (`--build` builds the covered services' images first, so the plan sees them).
 */
export async function planned(load: LoadOptions, opts: UpOptions) {
  const { project, engine } = await openSession({ ...load, services: opts.services ?? load.services }, opts);
  const graph = buildGraph(project);
  const [observed, imageIds] = await Promise.all([
    observe(engine, project.name, opts.signal),
    currentImages(engine, project, upServices(project, graph, opts), { build: opts.build, dryRun: opts.dryRun, signal: opts.signal, onProgress: opts.onProgress }),
  ]);
  const plan = planUp(project, observed, graph, { ...opts, imageIds });
  return { project, engine, graph, plan, text: formatPlan(plan) };
}

export async function up(load: LoadOptions, opts: UpOptions = {}): Promise<UpResult> {
  const { project, engine, graph, plan, text } = await planned(load, opts);
  if (opts.dryRun) return { plan, text, executed: false };
  // --build has built what it chose before the plan; what is still missing is built here.
  await ensureImages(engine, project, plan, { pull: opts.pull, build: opts.build === true ? undefined : opts.build, signal: opts.signal, onProgress: opts.onProgress });
  await executePlan(engine, project, graph, plan, { parallel: opts.parallel, noStart: opts.noStart, timeout: opts.timeout, signal: opts.signal, onProgress: opts.onProgress });
  if (opts.wait && !opts.noStart) {
    await waitHealthy(engine, project.name, { services: Object.keys(plan.services), timeout: opts.waitTimeout, signal: opts.signal, onProgress: opts.onProgress });
  }
  return { plan, text, executed: true };
}
