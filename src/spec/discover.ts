// Which compose files make up the project, where the project directory is,
// and what the project is called: the docker compose rules.

import { existsSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, resolve } from 'node:path';
import { GantryError } from '../common/errors.js';

/** Looked for in this order in the working directory, then its parents. */
export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
export const OVERRIDE_FILE_NAMES = [
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yaml',
  'docker-compose.override.yml',
];

/** The name given for standard input with `-f -`. */
export const STDIN = '-';

export interface DiscoverInput {
  workingDir: string;
  files?: string[];
  /** COMPOSE_FILE and COMPOSE_PATH_SEPARATOR come from here. */
  env: Record<string, string | undefined>;
}

export interface Discovered {
  /** Absolute paths, or STDIN. */
  files: string[];
  /** How they were found, for messages. */
  source: 'flag' | 'COMPOSE_FILE' | 'search';
  warnings: string[];
}

export function discoverFiles(input: DiscoverInput): Discovered {
  const warnings: string[] = [];
  if (input.files && input.files.length > 0) {
    return { files: input.files.map((f) => checkFile(input.workingDir, f, '-f')), source: 'flag', warnings };
  }
  const fromEnv = input.env.COMPOSE_FILE;
  if (fromEnv) {
    const sep = input.env.COMPOSE_PATH_SEPARATOR || delimiter;
    const files = fromEnv.split(sep).filter((f) => f.trim() !== '');
    return { files: files.map((f) => checkFile(input.workingDir, f, 'COMPOSE_FILE')), source: 'COMPOSE_FILE', warnings };
  }
  for (let dir = resolve(input.workingDir); ; dir = dirname(dir)) {
    const found = DEFAULT_FILE_NAMES.filter((n) => isFile(resolve(dir, n)));
    if (found.length > 0) {
      if (found.length > 1) {
        warnings.push(`Found multiple config files with supported names: ${found.map((n) => resolve(dir, n)).join(', ')}. Using ${found[0]}`);
      }
      const files = [resolve(dir, found[0]!)];
      const override = OVERRIDE_FILE_NAMES.find((n) => isFile(resolve(dir, n)));
      if (override) files.push(resolve(dir, override));
      return { files, source: 'search', warnings };
    }
    if (dirname(dir) === dir) break;
  }
  throw new GantryError('file', `no configuration file provided: not found in ${input.workingDir} or its parents`, {
    hint: `create ${DEFAULT_FILE_NAMES[0]} here, or name a file with -f FILE (or COMPOSE_FILE)`,
  });
}

function checkFile(workingDir: string, name: string, via: string): string {
  if (name === STDIN) return STDIN;
  const abs = isAbsolute(name) ? name : resolve(workingDir, name);
  if (!existsSync(abs)) {
    throw new GantryError('file', `compose file ${name} (from ${via}) does not exist`, {
      hint: `check the path; it is resolved against ${workingDir}`,
    });
  }
  if (statSync(abs).isDirectory()) {
    throw new GantryError('file', `compose file ${name} (from ${via}) is a directory`, {
      hint: `name the file inside it, e.g. ${resolve(abs, DEFAULT_FILE_NAMES[0]!)}`,
    });
  }
  return abs;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

const PROJECT_NAME_RULE = 'it must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit';
const VALID_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** docker compose's normalization of names it derives (directory, `name:`). */
export function normalizeProjectName(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}

export interface NameInput {
  /** `-p`: used as given, must already be valid. */
  flag?: string;
  /** COMPOSE_PROJECT_NAME from the environment or `.env`: must be valid. */
  env?: string;
  /** Top-level `name:` of the merged files (last wins): normalized. */
  declared?: string;
  projectDir: string;
}

export function resolveProjectName(input: NameInput): string {
  for (const [value, from] of [
    [input.flag, '-p'],
    [input.env, 'COMPOSE_PROJECT_NAME'],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (!VALID_PROJECT_NAME.test(value)) {
      const suggestion = normalizeProjectName(value);
      throw new GantryError('usage', `invalid project name "${value}" (from ${from}): ${PROJECT_NAME_RULE}`, {
        hint: suggestion ? `try "${suggestion}"` : undefined,
      });
    }
    return value;
  }
  const fromName = input.declared ? normalizeProjectName(input.declared) : '';
  if (fromName) return fromName;
  const fromDir = normalizeProjectName(basename(resolve(input.projectDir)));
  if (fromDir) return fromDir;
  throw new GantryError('usage', `cannot derive a project name from the directory "${basename(input.projectDir)}": ${PROJECT_NAME_RULE}`, {
    hint: 'name the project with -p NAME, COMPOSE_PROJECT_NAME, or a top-level name: in the compose file',
  });
}
