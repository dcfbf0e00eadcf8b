// `compose create`: everything `up` does but start — networks, volumes and
// containers, created or recreated by the same plan — with an optional pull
// of the images first.

import type { LoadOptions } from '../spec/index.js';
import { pull, type PullPolicy } from './pull.js';
import { up, type UpOptions, type UpResult } from './up.js';

export interface CreateOptions extends Omit<UpOptions, 'noStart'> {
  /** `--pull`: fetch the images first (`always`), only the absent ones (`missing`), or not at all (`never`, the default). */
  pull?: PullPolicy | 'never';
}

export async function create(load: LoadOptions, opts: CreateOptions = {}): Promise<UpResult> {
  if (opts.pull && opts.pull !== 'never' && !opts.dryRun) {
    await pull(load, { host: opts.host, env: opts.env, signal: opts.signal, services: opts.services, includeDeps: !opts.noDeps, policy: opts.pull, onProgress: opts.onProgress });
  }
  return up(load, { ...opts, noStart: true });
}
