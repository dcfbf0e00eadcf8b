// `compose scale web=3 worker=0`: the `up` plan with new replica counts for
// the named services, so extra replicas go highest number first and new ones
// take the lowest free numbers.

import { GantryError } from '../common/errors.js';
import type { LoadOptions } from '../spec/index.js';
import { up, type UpOptions, type UpResult } from './up.js';

export interface ScaleOptions extends Omit<UpOptions, 'scale' | 'services'> {
  /** Service → replicas wanted. */
  replicas: Record<string, number>;
}

export async function scale(load: LoadOptions, opts: ScaleOptions): Promise<UpResult> {
  const services = Object.keys(opts.replicas);
  if (services.length === 0) throw new GantryError('usage', 'scale needs at least one SERVICE=REPLICAS', { hint: 'e.g. compose scale web=3' });
  for (const [s, n] of Object.entries(opts.replicas)) {
    if (!Number.isInteger(n) || n < 0) throw new GantryError('usage', `invalid number of replicas for "${s}": ${n}`, { hint: 'give a whole number of 0 or more' });
  }
  return up(load, { ...opts, services, scale: opts.replicas });
}
