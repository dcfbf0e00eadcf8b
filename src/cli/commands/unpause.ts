// `compose unpause`: resume paused containers.
import type { Command } from 'commander';
import { loadOptionsFrom } from '../load-options.js';
import { lifecycleOptions, withLifecycleFlags, type LifecycleFlags } from './lifecycle-flags.js';

export function registerUnpause(program: Command): void {
  withLifecycleFlags(program.command('unpause').description('Unpause services')).action(async (services: string[], flags: LifecycleFlags, cmd: Command) => {
    const project = await import('../../project/index.js');
    await project.unpause(loadOptionsFrom(cmd), await lifecycleOptions(services, flags, cmd));
  });
}
