// `compose export`: a service container's filesystem as a tar archive.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { replicaIndex } from './logs.js';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description("Export a service container's filesystem as a tar archive")
    .argument('<service>', 'the service')
    .option('-o, --output <file>', 'write to a file, instead of STDOUT')
    .option('--index <n>', 'index of the container if the service has several replicas')
    .action(async (service: string, flags: { output?: string; index?: string }, cmd: Command) => {
      if (!flags.output && process.stdout.isTTY) {
        throw new GantryError('usage', 'refusing to write a tar archive to a terminal', { hint: 'use -o FILE, or redirect the output: compose export web > web.tar' });
      }
      const project = await import('../../project/index.js');
      const { tar } = await project.exportContainer(loadOptionsFrom(cmd), { ...engineOptionsFrom(cmd), service, index: flags.index === undefined ? undefined : replicaIndex(flags.index) });
      await pipeline(tar, flags.output ? createWriteStream(flags.output) : process.stdout);
    });
}
