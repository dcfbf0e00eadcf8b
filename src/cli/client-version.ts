// `compose version` as far as it needs no engine: what it prints, and when
// main.ts may print it before loading commander and the command modules.

import { packageVersion } from './package-info.js';

/** What `compose version` prints when no engine is named. */
export function clientVersionText(): string {
  return `gantry version ${packageVersion()}\n`;
}

/** Whether `compose <args>` is a plain `version` that names no engine (-H or DOCKER_HOST), so asks none. */
export function isClientOnlyVersion(args: readonly string[], env: Record<string, string | undefined>): boolean {
  return args.length === 1 && args[0] === 'version' && !env.DOCKER_HOST;
}
