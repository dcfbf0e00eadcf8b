// `compose commit`: a new image from a service container's changes.
import type { Command } from 'commander';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { replicaIndex } from './logs.js';

export function registerCommit(program: Command): void {
  program
    .command('commit')
    .description("Create a new image from a service container's changes")
    .argument('<service>', 'the service')
    .argument('[repository]', 'REPOSITORY[:TAG] for the new image')
    .option('-a, --author <author>', 'author (e.g., "John Hannibal Smith <hannibal@a-team.com>")')
    .option('-c, --change <instruction>', 'apply a Dockerfile instruction to the created image (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('-m, --message <message>', 'commit message')
    .option('-p, --pause', 'pause the container during commit (default)', true)
    .option('--no-pause', 'do not pause the container during commit')
    .option('--index <n>', 'index of the container if the service has several replicas')
    .action(async (service: string, repository: string | undefined, flags: { author?: string; change: string[]; message?: string; pause: boolean; index?: string }, cmd: Command) => {
      const project = await import('../../project/index.js');
      const r = await project.commit(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        service,
        reference: repository,
        author: flags.author,
        message: flags.message,
        changes: flags.change,
        pause: flags.pause,
        index: flags.index === undefined ? undefined : replicaIndex(flags.index),
      });
      process.stdout.write(`${r.id}\n`);
    });
}
