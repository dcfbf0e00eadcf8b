// `compose rm`: remove stopped service containers, after asking unless -f.
// As docker compose does, the question is asked on stdin whether or not it is
// a terminal; anything but a yes (an empty or closed stdin too) keeps them.
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { loadOptionsFrom } from '../load-options.js';
import { lifecycleOptions, withLifecycleFlags, type LifecycleFlags } from './lifecycle-flags.js';
import { seconds } from './up.js';

interface RmFlags extends LifecycleFlags {
  force?: boolean;
  stop?: boolean;
  volumes?: boolean;
  timeout?: string;
}

export function registerRm(program: Command): void {
  withLifecycleFlags(program.command('rm').description('Removes stopped service containers'))
    .option('-f, --force', "don't ask to confirm removal")
    .option('-s, --stop', 'stop the containers, if required, before removing')
    .option('-v, --volumes', 'remove any anonymous volumes attached to containers')
    .option('-t, --timeout <seconds>', 'with -s: seconds to wait for the containers to stop')
    .action(async (services: string[], flags: RmFlags, cmd: Command) => {
      const project = await import('../../project/index.js');
      const result = await project.rm(loadOptionsFrom(cmd), {
        ...(await lifecycleOptions(services, flags, cmd)),
        force: flags.force,
        stop: flags.stop,
        volumes: flags.volumes,
        timeout: flags.timeout === undefined ? undefined : seconds(flags.timeout),
        confirm: ask,
      });
      if (result.candidates.length === 0) process.stderr.write('No stopped containers\n');
      else if (flags.force) process.stdout.write(`${result.message}\n`);
    });
}

async function ask(message: string): Promise<boolean> {
  process.stdout.write(`${message}\nAre you sure? [yN] `);
  const answer = await new Promise<string>((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    let line = '';
    rl.once('line', (l) => {
      line = l;
      rl.close();
    });
    rl.once('close', () => resolve(line));
  });
  process.stdin.destroy();
  if (!process.stdin.isTTY) process.stdout.write('\n');
  return /^(y|yes|true|1)$/i.test(answer.trim());
}
