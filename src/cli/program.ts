// The compose program: global flags, and the commands from
// program-commands.ts, only the one being run loaded in full.

import { Command, Help } from 'commander';
import { commandNameIn, COMMANDS } from './program-commands.js';
import { setColor } from './style.js';
import { packageVersion } from './package-info.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The width `--help` is wrapped to. */
export const HELP_WIDTH = 100;

/** Thrown by a listed-only command when it runs: the argument scan missed it, so everything is loaded and parsed again. */
export const MISSED = Symbol('command not loaded');

/**
 * The program for `args` (the arguments after node and the script): the
 * command they name is loaded in full, the others only listed. `everything`
 * loads every command.
 */
export async function buildProgram(args: readonly string[] = [], everything = false): Promise<Command> {
  const program = new Command('compose')
    .description('Define and run multi-container applications, with or without Docker')
    .option('-f, --file <path>', 'compose configuration file (repeatable; - for stdin)', collect, [])
    .option('-p, --project-name <name>', 'project name')
    .option('--project-directory <dir>', 'alternate working directory (default: the first file\'s directory)')
    .option('--profile <name>', 'enable a profile (repeatable)', collect, [])
    .option('--env-file <path>', 'alternate environment file (repeatable)', collect, [])
    .option('-H, --host <url>', 'engine to use: unix:///path, tcp://host:port or ssh://user@host (default: DOCKER_HOST, else the embedded engine)')
    .option('--ansi <when>', 'control ANSI output: never, always, auto', 'auto')
    .option('--progress <mode>', 'progress output: auto, tty, plain, json, quiet', 'auto')
    .option('--verbose', 'show stack traces and debug output')
    .version(packageVersion(), '--version', 'show the gantry version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) })
    .exitOverride()
    // Global flags go before the command, so a command's own short flags (rm -f, exec -e) are its own.
    .enablePositionalOptions();
  program.hook('preAction', async (cmd) => {
    const ansi = cmd.optsWithGlobals().ansi as string;
    if (ansi === 'always' || ansi === 'never') setColor(ansi);
    const progress = cmd.optsWithGlobals().progress as string | undefined;
    // `auto` is where the progress module starts: it is loaded by the commands that show progress.
    if (progress !== undefined && progress !== 'auto') {
      const { chooseProgress } = await import('./render/progress.js');
      chooseProgress(progress);
    }
  });
  const terms = new Map<Command, string>();
  program.configureHelp({
    // One width everywhere, as docker compose's help has: the same text on any
    // terminal, so the build can write it ahead (main.ts prints that copy).
    helpWidth: HELP_WIDTH,
    subcommandTerm(this: Help, cmd: Command): string {
      return terms.get(cmd) ?? Help.prototype.subcommandTerm.call(this, cmd);
    },
  });
  const wanted = everything ? undefined : commandNameIn(args);
  for (const entry of COMMANDS) {
    if (everything || entry.name === wanted) (await entry.load())(program);
    else if (entry.listed) {
      const [term, description] = entry.listed;
      const listed = program
        .command(entry.name)
        .description(description)
        .helpOption(false)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(() => {
          throw MISSED;
        });
      terms.set(listed, term);
    }
  }
  return program;
}
