// `compose stop`: stop running containers without removing them, dependents first.
import type { Command } from 'commander';
import { loadOptionsFrom } from '../load-options.js';
import { lifecycleOptions, withLifecycleFlags, type LifecycleFlags } from './lifecycle-flags.js';
import { seconds } from './up.js';

export function registerStop(program: Command): void {
  withLifecycleFlags(program.command('stop').description('Stop services'))
    .option('-t, --timeout <seconds>', 'seconds to wait for the containers to stop before killing them')
    .action(async (services: string[], flags: LifecycleFlags & { timeout?: string }, cmd: Command) => {
      const project = await import('../../project/index.js');
      const timeout = flags.timeout === undefined ? undefined : seconds(flags.timeout);
      await project.stop(loadOptionsFrom(cmd), { ...(await lifecycleOptions(services, flags, cmd)), timeout });
    });
}
