// The variables interpolation sees: the env files (`.env` in the project
// directory, or each `--env-file` in order, later winning), overridden by the
// process environment, as docker compose does.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GantryError } from '../common/errors.js';
import type { Lookup } from './context.js';
import { parseDotEnv } from './dotenv.js';

export interface EnvironmentInput {
  processEnv: Record<string, string | undefined>;
  projectDir: string;
  /** Absolute paths; when given they replace the default `.env`. */
  envFiles?: string[];
}

export interface Environment {
  variables: Record<string, string>;
  lookup: Lookup;
  /** The env files that were read, in order. */
  files: string[];
}

export function buildEnvironment(input: EnvironmentInput): Environment {
  const fromProcess: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.processEnv)) if (v !== undefined) fromProcess[k] = v;
  const fromFiles: Record<string, string> = {};
  const files: string[] = [];
  const explicit = input.envFiles && input.envFiles.length > 0;
  const candidates = explicit ? input.envFiles! : [join(input.projectDir, '.env')];
  for (const file of candidates) {
    const text = readEnvFile(file, Boolean(explicit));
    if (text === undefined) continue;
    files.push(file);
    // A file sees the process environment and the files before it.
    Object.assign(fromFiles, parseDotEnv(text, file, (n) => fromProcess[n] ?? fromFiles[n]));
  }
  const variables = { ...fromFiles, ...fromProcess };
  return { variables, files, lookup: (n) => (Object.hasOwn(variables, n) ? variables[n] : undefined) };
}

function readEnvFile(file: string, required: boolean): string | undefined {
  let isDir = false;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    if (!required) return undefined;
    throw new GantryError('file', `env file ${file} not found`, { hint: 'check the --env-file path; it is relative to the working directory' });
  }
  if (isDir) throw new GantryError('file', `env file ${file} is a directory`, { hint: 'name a file of KEY=VALUE lines' });
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new GantryError('file', `cannot read env file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

/** `a, b,,c` → ['a', 'b', 'c'] (COMPOSE_PROFILES and similar lists). */
export function splitList(value: string | undefined, sep = ','): string[] {
  return (value ?? '').split(sep).map((s) => s.trim()).filter((s) => s !== '');
}
