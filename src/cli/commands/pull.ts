// `compose pull`: pull the service images.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { progressSink } from '../render/progress.js';

interface PullFlags {
  quiet?: boolean;
  ignorePullFailures?: boolean;
  ignoreBuildable?: boolean;
  includeDeps?: boolean;
  policy?: string;
}

export function registerPull(program: Command): void {
  program
    .command('pull')
    .description('Pull service images')
    .argument('[service...]', 'only these services')
    .option('-q, --quiet', 'pull without printing progress information')
    .option('--ignore-pull-failures', 'pull what it can and ignore images with pull failures')
    .option('--ignore-buildable', 'ignore images that can be built')
    .option('--include-deps', 'also pull the images of the services they depend on')
    .option('--policy <policy>', 'apply pull policy ("missing"|"always")')
    .action(async (services: string[], flags: PullFlags, cmd: Command) => {
      if (flags.policy !== undefined && flags.policy !== 'missing' && flags.policy !== 'always') {
        throw new GantryError('usage', `invalid --policy value "${flags.policy}"`, { hint: 'one of missing, always' });
      }
      const project = await import('../../project/index.js');
      await project.pull(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        services: services.length ? services : undefined,
        includeDeps: flags.includeDeps,
        policy: flags.policy as 'missing' | 'always' | undefined,
        ignorePullFailures: flags.ignorePullFailures,
        ignoreBuildable: flags.ignoreBuildable,
        onProgress: flags.quiet ? undefined : progressSink(),
      });
    });
}
