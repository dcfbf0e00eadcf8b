#!/usr/bin/env node
// cli/ owns argument parsing and rendering only: flags → options → one call
// into project/, then text on stdout/stderr and an exit code. Commands load
// their heavy modules with `await import()` so `--help` and `version` start
// fast.

import { Command, CommanderError } from 'commander';
import { ExitCode } from '../common/errors.js';
import { registerCommands } from './commands/index.js';
import { renderError } from './render-error.js';
import { chooseProgress } from './render/progress.js';
import { setColor } from './style.js';
import { packageVersion } from './package-info.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
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
  program.hook('preAction', (cmd) => {
    const ansi = cmd.optsWithGlobals().ansi as string;
    if (ansi === 'always' || ansi === 'never') setColor(ansi);
    chooseProgress(cmd.optsWithGlobals().progress as string | undefined);
  });
  registerCommands(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with code 0.
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const { text, code } = renderError(e, verbose);
    process.stderr.write(text + '\n');
    return code;
  }
}

process.on('SIGINT', () => process.exit(ExitCode.interrupted));
main(process.argv).then((code) => {
  process.exitCode = code;
});
