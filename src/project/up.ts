// `compose up` (detached) and `compose create`: load, observe, plan, execute.

import { buildGraph } from '../graph/index.js';
import { formatPlan, planUp, type Plan, type UpPlanOptions } from '../plan/index.js';
import type { LoadOptions } from '../spec/index.js';
import { executePlan } from './executor.js';
import { observe } from './observe.js';
import type { ProgressSink } from './progress.js';
import { openSession, type EngineOptions } from './session.js';

export interface UpOptions extends UpPlanOptions, EngineOptions {
  dryRun?: boolean;
  noStart?: boolean;
  timeout?: number;
  parallel?: number;
  onProgress?: ProgressSink;
}

export interface UpResult {
  plan: Plan;
  /** The plan as `--dry-run` prints it. */
  text: string;
  executed: boolean;
}

export async function up(load: LoadOptions, opts: UpOptions = {}): Promise<UpResult> {
  const { project, engine } = await openSession({ ...load, services: opts.services ?? load.services }, opts);
  const graph = buildGraph(project);
  const observed = await observe(engine, project.name, opts.signal);
  const plan = planUp(project, observed, graph, opts);
  const text = formatPlan(plan);
  if (opts.dryRun) return { plan, text, executed: false };
  await executePlan(engine, project, graph, plan, { parallel: opts.parallel, noStart: opts.noStart, timeout: opts.timeout, signal: opts.signal, onProgress: opts.onProgress });
  return { plan, text, executed: true };
}
