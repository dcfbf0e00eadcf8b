// `compose restart`: restart service containers, dependencies first.
import type { Command } from 'commander';
import { loadOptionsFrom } from '../load-options.js';
import { lifecycleOptions, withLifecycleFlags, type LifecycleFlags } from './lifecycle-flags.js';
import { seconds } from './up.js';

export function registerRestart(program: Command): void {
  withLifecycleFlags(program.command('restart').description('Restart service containers'))
    .option('-t, --timeout <seconds>', 'seconds to wait for the containers to stop before killing them')
    .option('--no-deps', 'do not restart the services that depend on the named ones with restart: true')
    .action(async (services: string[], flags: LifecycleFlags & { timeout?: string; deps: boolean }, cmd: Command) => {
      const project = await import('../../project/index.js');
      const timeout = flags.timeout === undefined ? undefined : seconds(flags.timeout);
      await project.restart(loadOptionsFrom(cmd), { ...(await lifecycleOptions(services, flags, cmd)), timeout, noDeps: !flags.deps });
    });
}
