#!/usr/bin/env node
// cli/ owns argument parsing and rendering only: flags → options → one call
// into project/, then text on stdout/stderr and an exit code. Only the
// command being run is loaded (program.ts), and commands load their heavy
// modules with `await import()`, so `--help` and `version` start fast.

import { ExitCode } from '../common/errors.js';
import { clientVersionText, isClientOnlyVersion } from './client-version.js';
import { builtHelp, isTopLevelHelp } from './built-help.js';

async function main(argv: string[]): Promise<number> {
  // The plainest `compose version` answers before commander loads (most of a start-up).
  if (isClientOnlyVersion(argv.slice(2), process.env)) {
    process.stdout.write(clientVersionText());
    return ExitCode.ok;
  }
  // `compose --help`: the text the build wrote from the program itself (scripts/build-help.ts).
  const help = isTopLevelHelp(argv.slice(2)) ? builtHelp() : undefined;
  if (help !== undefined) {
    process.stdout.write(help);
    return ExitCode.ok;
  }
  const { buildProgram, MISSED } = await import('./program.js');
  const verbose = argv.includes('--verbose');
  try {
    try {
      await (await buildProgram(argv.slice(2))).parseAsync(argv);
    } catch (e) {
      if (e !== MISSED) throw e;
      await (await buildProgram(argv.slice(2), true)).parseAsync(argv);
    }
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (e) {
    const { CommanderError } = await import('commander');
    if (e instanceof CommanderError) {
      // --help and --version end through here with code 0.
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const { renderError } = await import('./render-error.js');
    const { text, code } = renderError(e, verbose);
    process.stderr.write(text + '\n');
    return code;
  }
}

process.on('SIGINT', () => process.exit(ExitCode.interrupted));
main(process.argv).then((code) => {
  process.exitCode = code;
});
