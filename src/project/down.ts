// `compose down`: stop and remove the project's containers, networks and (with -v) volumes.

import { buildGraph } from '../graph/index.js';
import { formatPlan, planDown, type DownPlanOptions, type Plan } from '../plan/index.js';
import type { LoadOptions } from '../spec/index.js';
import { executeDown } from './executor.js';
import { observe } from './observe.js';
import type { ProgressSink } from './progress.js';
import { openSession, type EngineOptions } from './session.js';

export interface DownOptions extends DownPlanOptions, EngineOptions {
  dryRun?: boolean;
  timeout?: number;
  parallel?: number;
  onProgress?: ProgressSink;
}

export async function down(load: LoadOptions, opts: DownOptions = {}): Promise<{ plan: Plan; text: string }> {
  // Every profile counts for down: its containers must go whatever is active.
  const { project, engine } = await openSession({ ...load, profiles: ['*'] }, opts);
  const graph = buildGraph(project);
  const plan = planDown(project, await observe(engine, project.name, opts.signal), opts);
  const text = formatPlan(plan);
  if (!opts.dryRun) await executeDown(engine, graph, plan, { timeout: opts.timeout, parallel: opts.parallel, signal: opts.signal, onProgress: opts.onProgress });
  return { plan, text };
}
