// `compose wait`: block until the services' containers stop; exit with the first non-zero exit code.
import type { Command } from 'commander';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';

export function registerWait(program: Command): void {
  program
    .command('wait')
    .description('Block until containers of all (or specified) services stop')
    .argument('<service...>', 'the services to wait for')
    .option('--down-project', 'take the project down when the first container stops')
    .action(async (services: string[], flags: { downProject?: boolean }, cmd: Command) => {
      const project = await import('../../project/index.js');
      const result = await project.wait(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        services,
        downProject: flags.downProject,
        onExit: (e) => process.stdout.write(`container "${e.name}" exited with status code ${e.exitCode}\n`),
      });
      process.exitCode = result.exitCode;
    });
}
