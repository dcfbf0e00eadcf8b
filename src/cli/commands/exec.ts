// `compose exec`: run a command in a running service container; its exit code is ours.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { attachTerminal } from '../terminal.js';
import { replicaIndex } from './logs.js';

interface ExecFlags {
  detach?: boolean;
  env: string[];
  index?: string;
  privileged?: boolean;
  user?: string;
  tty: boolean;
  workdir?: string;
}

const collect = (v: string, p: string[]) => [...p, v];

export function registerExec(program: Command): void {
  const exec = program
    .command('exec')
    .description('Execute a command in a running container')
    .argument('<service>', 'the service')
    .argument('<command...>', 'the command and its arguments')
    .option('-d, --detach', 'run the command in the background')
    .option('-e, --env <KEY=VAL>', 'set an environment variable (repeatable; KEY alone passes it from the environment)', collect, [])
    .option('--index <n>', 'index of the container if the service has several replicas')
    .option('--privileged', 'give extended privileges to the process')
    .option('-u, --user <user>', 'run the command as this user')
    .option('-T, --no-tty', 'disable pseudo-TTY allocation (by default a TTY is allocated when stdin and stdout are terminals)')
    .option('-w, --workdir <dir>', 'working directory for the command')
    // The command's own options (`sh -c …`) are not ours: keep them, in order.
    .allowUnknownOption()
    .action(async (service: string, command: string[], flags: ExecFlags, cmd: Command) => {
      if (service.startsWith('-')) throw new GantryError('usage', `unknown option '${service}'`, { hint: 'exec options go before SERVICE: compose exec [OPTIONS] SERVICE COMMAND [ARGS...]' });
      const project = await import('../../project/index.js');
      const stdin = process.stdin;
      const stdout = process.stdout;
      const tty = flags.tty && Boolean(stdin.isTTY) && Boolean(stdout.isTTY);
      const proc = await project.exec(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        service,
        command,
        index: flags.index === undefined ? undefined : replicaIndex(flags.index),
        detach: flags.detach,
        tty,
        environment: flags.env,
        user: flags.user,
        workdir: flags.workdir,
        privileged: flags.privileged,
        consoleSize: tty ? { height: stdout.rows, width: stdout.columns } : undefined,
      });
      if (flags.detach) return;
      process.exitCode = await attachTerminal(proc, tty);
    });
  // Options after SERVICE belong to the command run in the container, as with
  // docker (`compose exec web ls -d /`). Commander allows that only when the
  // program parses options positionally (enablePositionalOptions in main.ts);
  // until then an argument of the command that is also one of exec's or the
  // program's options (-d, -e, -u, -w, -T, -f, -p, -H) is taken as that option.
  try {
    exec.passThroughOptions();
  } catch {
    // The program does not use positional options (see main.ts).
  }
}
