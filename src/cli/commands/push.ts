// `compose push`: push the images of the services that build them.
import type { Command } from 'commander';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { progressSink } from '../render/progress.js';

export function registerPush(program: Command): void {
  program
    .command('push')
    .description('Push service images')
    .argument('[service...]', 'only these services')
    .option('-q, --quiet', 'push without printing progress information')
    .option('--ignore-push-failures', 'push what it can and ignore images with push failures')
    .action(async (services: string[], flags: { quiet?: boolean; ignorePushFailures?: boolean }, cmd: Command) => {
      const project = await import('../../project/index.js');
      await project.push(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        services: services.length ? services : undefined,
        ignorePushFailures: flags.ignorePushFailures,
        onProgress: flags.quiet ? undefined : progressSink(),
      });
    });
}
