// `compose pause`: freeze running containers.
import type { Command } from 'commander';
import { loadOptionsFrom } from '../load-options.js';
import { lifecycleOptions, withLifecycleFlags, type LifecycleFlags } from './lifecycle-flags.js';

export function registerPause(program: Command): void {
  withLifecycleFlags(program.command('pause').description('Pause services')).action(async (services: string[], flags: LifecycleFlags, cmd: Command) => {
    const project = await import('../../project/index.js');
    await project.pause(loadOptionsFrom(cmd), await lifecycleOptions(services, flags, cmd));
  });
}
