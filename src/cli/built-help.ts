// `compose --help` as the build wrote it (scripts/build-help.ts renders the
// program's own help into help.txt beside this module): printing it needs
// neither commander nor a command module. Without the file, commander answers.

import { readFileSync } from 'node:fs';

export const HELP_FILE = new URL('./help.txt', import.meta.url);

export function isTopLevelHelp(args: readonly string[]): boolean {
  return args.length === 1 && (args[0] === '--help' || args[0] === '-h');
}

export function builtHelp(): string | undefined {
  try {
    return readFileSync(HELP_FILE, 'utf8');
  } catch {
    return undefined;
  }
}
