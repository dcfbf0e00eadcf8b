// `compose kill`: send a signal (SIGKILL by default) to running containers.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { loadOptionsFrom } from '../load-options.js';
import { lifecycleOptions, withLifecycleFlags, type LifecycleFlags } from './lifecycle-flags.js';

export function registerKill(program: Command): void {
  withLifecycleFlags(program.command('kill').description('Force stop service containers'))
    .option('-s, --signal <signal>', 'signal to send to the containers', 'SIGKILL')
    .option('--remove-orphans', 'also kill containers of services not in the compose file')
    .action(async (services: string[], flags: LifecycleFlags & { signal: string; removeOrphans?: boolean }, cmd: Command) => {
      if (!/^(SIG)?[A-Z0-9+-]+$|^\d+$/i.test(flags.signal)) throw new GantryError('usage', `invalid signal "${flags.signal}"`, { hint: 'a name or a number, e.g. -s SIGHUP, -s HUP or -s 1' });
      const project = await import('../../project/index.js');
      const killed = await project.kill(loadOptionsFrom(cmd), { ...(await lifecycleOptions(services, flags, cmd)), killSignal: flags.signal.toUpperCase(), removeOrphans: flags.removeOrphans });
      if (killed.length === 0) process.stderr.write('No container to kill\n');
    });
}
