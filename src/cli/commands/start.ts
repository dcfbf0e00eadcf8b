// `compose start`: start existing containers, dependencies first.
import type { Command } from 'commander';
import { loadOptionsFrom } from '../load-options.js';
import { lifecycleOptions, withLifecycleFlags, type LifecycleFlags } from './lifecycle-flags.js';

export function registerStart(program: Command): void {
  withLifecycleFlags(program.command('start').description('Start services')).action(async (services: string[], flags: LifecycleFlags, cmd: Command) => {
    const project = await import('../../project/index.js');
    await project.start(loadOptionsFrom(cmd), await lifecycleOptions(services, flags, cmd));
  });
}
