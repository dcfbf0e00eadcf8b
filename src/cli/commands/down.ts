// `compose down`: stop and remove containers, networks and, with -v, volumes.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { progressSink } from '../render/progress.js';
import { seconds } from './up.js';

export function registerDown(program: Command): void {
  program
    .command('down')
    .description('Stop and remove containers, networks')
    .option('-v, --volumes', 'remove the named volumes declared in the file')
    .option('--remove-orphans', 'remove containers of services not in the compose file')
    .option('--rmi <type>', 'remove images used by services: "local" only the ones built without an image: name, "all" every one')
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds')
    .option('--dry-run', 'print the plan instead of executing it')
    .option('--parallel <n>', 'at most this many services at once')
    .action(async (flags: { volumes?: boolean; removeOrphans?: boolean; rmi?: string; timeout?: string; dryRun?: boolean; parallel?: string }, cmd: Command) => {
      if (flags.rmi !== undefined && flags.rmi !== 'local' && flags.rmi !== 'all') {
        throw new GantryError('usage', `invalid --rmi value "${flags.rmi}"`, { hint: 'one of local, all' });
      }
      const project = await import('../../project/index.js');
      const result = await project.down(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        volumes: flags.volumes,
        removeOrphans: flags.removeOrphans,
        rmi: flags.rmi as 'local' | 'all' | undefined,
        timeout: flags.timeout === undefined ? undefined : seconds(flags.timeout),
        parallel: project.parallelLimit(process.env, flags.parallel),
        dryRun: flags.dryRun,
        onProgress: progressSink(),
      });
      if (flags.dryRun) process.stdout.write(result.text);
      for (const w of result.plan.warnings) process.stderr.write(`warning: ${w}\n`);
    });
}
