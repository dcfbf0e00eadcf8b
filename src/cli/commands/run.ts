// `compose run`: a one-off command in a new container of a service; its exit code is ours.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { splitShellWords } from '../../common/shell-words.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { progressSink } from '../render/progress.js';
import { attachTerminal } from '../terminal.js';

interface RunFlags {
  detach?: boolean;
  rm?: boolean;
  deps: boolean;
  env: string[];
  label: string[];
  publish: string[];
  volume: string[];
  entrypoint?: string;
  name?: string;
  tty: boolean;
  interactive: boolean;
  user?: string;
  workdir?: string;
  servicePorts?: boolean;
  useAliases?: boolean;
  build?: boolean;
  pull?: string;
  quietPull?: boolean;
}

const collect = (v: string, p: string[]) => [...p, v];

export function registerRun(program: Command): void {
  const run = program
    .command('run')
    .description('Run a one-off command on a service')
    .argument('<service>', 'the service')
    .argument('[command...]', 'the command and its arguments (default: the service\'s)')
    .option('-d, --detach', 'run the container in the background and print its ID')
    .option('--rm', 'remove the container when it exits')
    .option('--no-deps', "don't start linked services")
    .option('-e, --env <KEY=VAL>', 'set an environment variable (repeatable; KEY alone passes it from the environment)', collect, [])
    .option('-l, --label <KEY=VAL>', 'add or override a label (repeatable)', collect, [])
    .option('-p, --publish <port>', "publish a container's port to the host (repeatable)", collect, [])
    .option('-v, --volume <bind>', 'bind mount a volume (repeatable)', collect, [])
    .option('--entrypoint <cmd>', 'override the entrypoint of the image')
    .option('--name <name>', 'assign a name to the container')
    .option('-T, --no-tty', 'disable pseudo-TTY allocation (by default one is allocated when stdin is a terminal)')
    .option('--no-interactive', "don't keep stdin open")
    .option('-u, --user <user>', 'run as this username or uid')
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-P, --service-ports', "run with the service's ports enabled and mapped to the host")
    .option('--use-aliases', "use the service's network aliases in the network(s) the container connects to")
    .option('--build', 'build the image before starting the container')
    .option('--pull <policy>', 'pull image before running ("always"|"missing"|"never")', 'policy')
    .option('--quiet-pull', 'pull without printing progress information')
    .allowUnknownOption()
    .action(async (service: string, command: string[], flags: RunFlags, cmd: Command) => {
      if (service.startsWith('-')) throw new GantryError('usage', `unknown option '${service}'`, { hint: 'run options go before SERVICE: compose run [OPTIONS] SERVICE [COMMAND] [ARGS...]' });
      if (flags.build) throw new GantryError('usage', 'building images is not built yet', { hint: 'build the image with docker build, then run compose run' });
      const project = await import('../../project/index.js');
      const stdin = process.stdin;
      const stdout = process.stdout;
      const tty = !flags.detach && flags.tty && Boolean(stdin.isTTY);
      const pull = flags.pull === 'always' || flags.pull === 'missing' ? flags.pull : undefined;
      const proc = await project.run(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        service,
        command,
        entrypoint: flags.entrypoint === undefined ? undefined : entrypointWords(flags.entrypoint),
        detach: flags.detach,
        rm: flags.rm,
        noDeps: !flags.deps,
        environment: flags.env,
        labels: labelPairs(flags.label),
        publish: flags.publish,
        servicePorts: flags.servicePorts,
        useAliases: flags.useAliases,
        volumes: flags.volume,
        name: flags.name,
        user: flags.user,
        workdir: flags.workdir,
        tty,
        interactive: flags.interactive,
        consoleSize: tty && stdout.isTTY ? { height: stdout.rows, width: stdout.columns } : undefined,
        pull,
        onProgress: flags.quietPull ? undefined : progressSink(),
      });
      if (flags.detach) {
        process.stdout.write(`${proc.id}\n`);
        return;
      }
      process.exitCode = await attachTerminal(proc, tty);
    });
  // Options after SERVICE belong to the command run in the container (see exec.ts).
  try {
    run.passThroughOptions();
  } catch {
    // The program does not use positional options (see main.ts).
  }
}

function entrypointWords(text: string): string[] {
  try {
    return splitShellWords(text).words;
  } catch (e) {
    throw new GantryError('usage', `invalid --entrypoint "${text}": ${(e as Error).message}`);
  }
}

function labelPairs(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0) throw new GantryError('usage', `invalid --label "${v}"`, { hint: 'write KEY=VALUE' });
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}
