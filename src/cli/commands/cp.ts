// `compose cp`: copy files and folders between a service container and the local filesystem.
import type { Command } from 'commander';
import { pipeline } from 'node:stream/promises';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { replicaIndex } from './logs.js';

interface CpFlags {
  index?: string;
  all?: boolean;
  followLink?: boolean;
  archive?: boolean;
}

export function registerCp(program: Command): void {
  program
    .command('cp')
    .description('Copy files/folders between a service container and the local filesystem')
    .usage('[options] SERVICE:SRC_PATH DEST_PATH|-\n       compose cp [options] SRC_PATH|- SERVICE:DEST_PATH')
    .argument('<source>', 'SERVICE:PATH, a local path, or - (a tar stream on stdin)')
    .argument('<destination>', 'SERVICE:PATH, a local path, or - (a tar stream to stdout)')
    .option('--index <n>', 'index of the container if the service has several replicas')
    .option('--all', 'include containers created by the run command')
    .option('-L, --follow-link', 'always follow a symbolic link in SRC_PATH')
    .option('-a, --archive', 'archive mode (copy all uid/gid information)')
    .action(async (source: string, destination: string, flags: CpFlags, cmd: Command) => {
      const project = await import('../../project/index.js');
      const result = await project.cp(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        source,
        destination,
        index: flags.index === undefined ? undefined : replicaIndex(flags.index),
        all: flags.all,
        followLink: flags.followLink,
        archive: flags.archive,
        stdin: process.stdin,
      });
      if (result.tar) {
        await pipeline(result.tar, process.stdout, { end: false });
        return;
      }
      for (const c of result.containers) process.stderr.write(` Container ${c}  Copied\n`);
    });
}
