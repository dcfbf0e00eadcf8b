// `compose unpause`: resume the paused containers of the named services (all when none are named).

import type { LoadOptions } from '../spec/index.js';
import type { ContainerStep } from './lifecycle.js';
import { freeze, type PauseOptions } from './pause.js';

export type UnpauseOptions = PauseOptions;

export async function unpause(load: LoadOptions, opts: UnpauseOptions = {}): Promise<ContainerStep[]> {
  return freeze(load, opts, 'paused', { working: 'Unpausing', done: 'Unpaused' });
}
