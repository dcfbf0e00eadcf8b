// `compose scale web=3 worker=1`: set the number of replicas of services.
import type { Command } from 'commander';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { progressSink } from '../render/progress.js';
import { parseScale } from './up.js';

export function registerScale(program: Command): void {
  program
    .command('scale')
    .description('Scale services')
    .argument('<service=replicas...>', 'services and the number of replicas each should have')
    .option('--no-deps', "don't start linked services")
    .option('--dry-run', 'print the plan instead of executing it')
    .option('--parallel <n>', 'at most this many services at once')
    .action(async (pairs: string[], flags: { deps: boolean; dryRun?: boolean; parallel?: string }, cmd: Command) => {
      const project = await import('../../project/index.js');
      const result = await project.scale(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        replicas: parseScale(pairs),
        noDeps: !flags.deps,
        dryRun: flags.dryRun,
        parallel: project.parallelLimit(process.env, flags.parallel),
        onProgress: progressSink(),
      });
      if (flags.dryRun) process.stdout.write(result.text);
      for (const w of result.plan.warnings) process.stderr.write(`warning: ${w}\n`);
    });
}
