// A service's final environment: `environment` entries without a value are
// looked up in the project's variables, `env_file` files are read in order
// (a later file wins), and `environment` wins over them all. `label_file`
// works the same way for labels, and build args without a value are looked
// up or dropped.

import { readFile } from 'node:fs/promises';
import { GantryError } from '../../common/errors.js';
import type { Lookup } from '../context.js';
import { parseDotEnv } from '../dotenv.js';
import { carry, formatPath, isMapping, positionAt, type Mapping, type PathSegment } from '../tree.js';
import { parseRawEnv } from './raw-env.js';

/** Reads each file once per load, however many services name it; undefined = no such file. */
export class EnvFileReader {
  private readonly cache = new Map<string, Promise<string | undefined>>();

  read(path: string): Promise<string | undefined> {
    let p = this.cache.get(path);
    if (!p) {
      p = readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
        throw e;
      });
      this.cache.set(path, p);
    }
    return p;
  }
}

export interface EnvironmentContext {
  root: Mapping;
  lookup: Lookup;
  reader: EnvFileReader;
}

async function readAt(
  ctx: EnvironmentContext,
  file: string,
  at: PathSegment[],
  what: string,
): Promise<string | undefined> {
  try {
    return await ctx.reader.read(file);
  } catch (e) {
    throw new GantryError('file', `cannot read ${what} ${file}: ${(e as Error).message}`, {
      path: formatPath(at),
      position: positionAt(ctx.root, at),
      hint: 'make it a readable file',
      cause: e,
    });
  }
}

function parseAs(format: unknown, text: string, file: string, lookup: Lookup, at: PathSegment[], root: Mapping) {
  if (format === undefined || format === null || format === '' || format === '.env') return parseDotEnv(text, file, lookup);
  if (format === 'raw') return parseRawEnv(text, file, lookup);
  const path = [...at, 'format'];
  throw new GantryError('value', `env file format "${String(format)}" is not known`, {
    path: formatPath(path),
    position: positionAt(root, path),
    hint: 'use `format: raw` for lines taken as written, or leave `format` out for .env syntax',
  });
}

async function readEnvFiles(name: string, svc: Mapping, env: Mapping | undefined, ctx: EnvironmentContext): Promise<Record<string, string>> {
  const fromFiles: Record<string, string> = {};
  const files = svc.env_file as unknown[];
  // Values in env files may use the project's variables, then the service's own.
  const lookup: Lookup = (k) => {
    const v = ctx.lookup(k);
    if (v !== undefined) return v;
    const own = env?.[k];
    return typeof own === 'string' ? own : undefined;
  };
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    if (!isMapping(f) || typeof f.path !== 'string') continue;
    const at = ['services', name, 'env_file', i];
    const text = await readAt(ctx, f.path, at, 'env file');
    if (text === undefined) {
      if (f.required === false) continue;
      throw new GantryError('file', `service "${name}": env file ${f.path} not found`, {
        path: formatPath(at),
        position: positionAt(ctx.root, at),
        hint: 'create the file, correct the path, or mark it optional with `required: false`',
      });
    }
    Object.assign(fromFiles, parseAs(f.format, text, f.path, lookup, at, ctx.root));
  }
  return fromFiles;
}

/** `KEY` without a value in `environment` takes the variable's value, where it is set. */
export function fillEnvironment(svc: Mapping, lookup: Lookup): void {
  const env = isMapping(svc.environment) ? svc.environment : undefined;
  if (!env) return;
  for (const k of Object.keys(env)) {
    if (env[k] !== null) continue;
    const v = lookup(k);
    if (v !== undefined) env[k] = v;
  }
}

/** Whether the service names env or label files, which resolveEnvironment and resolveLabelFiles read. */
export function readsFiles(svc: Mapping): boolean {
  return (Array.isArray(svc.env_file) && svc.env_file.length > 0) || (Array.isArray(svc.label_file) && svc.label_file.length > 0);
}

export async function resolveEnvironment(name: string, svc: Mapping, ctx: EnvironmentContext): Promise<void> {
  fillEnvironment(svc, ctx.lookup);
  const env = isMapping(svc.environment) ? svc.environment : undefined;
  if (!Array.isArray(svc.env_file) || svc.env_file.length === 0) return;
  const fromFiles = await readEnvFiles(name, svc, env, ctx);
  // Only optional files that do not exist: nothing to add.
  if (!env && Object.keys(fromFiles).length === 0) return;
  const merged: Mapping = { ...fromFiles };
  if (env) {
    for (const k of Object.keys(env)) merged[k] = env[k]!;
    carry(env, merged);
  }
  svc.environment = merged;
}

export async function resolveLabelFiles(name: string, svc: Mapping, ctx: EnvironmentContext): Promise<void> {
  if (!Array.isArray(svc.label_file) || svc.label_file.length === 0) return;
  const fromFiles: Record<string, string> = {};
  const files = svc.label_file;
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    if (typeof file !== 'string') continue;
    const at = ['services', name, 'label_file', i];
    const text = await readAt(ctx, file, at, 'label file');
    if (text === undefined) {
      throw new GantryError('file', `service "${name}": label file ${file} not found`, {
        path: formatPath(at),
        position: positionAt(ctx.root, at),
        hint: 'create the file or correct the path',
      });
    }
    // A label file may refer to labels read before it, not to the environment.
    Object.assign(fromFiles, parseDotEnv(text, file, (k) => fromFiles[k]));
  }
  const labels = isMapping(svc.labels) ? svc.labels : undefined;
  const merged: Mapping = { ...fromFiles };
  if (labels) {
    for (const k of Object.keys(labels)) merged[k] = labels[k]!;
    carry(labels, merged);
  }
  svc.labels = merged;
}

/** `args: [VERSION]` takes VERSION from the project's variables, or is dropped when it is unset. */
export function resolveBuildArgs(svc: Mapping, lookup: Lookup): void {
  const build = svc.build;
  if (!isMapping(build) || !isMapping(build.args)) return;
  const args = build.args;
  for (const k of Object.keys(args)) {
    if (args[k] !== null) continue;
    const v = lookup(k);
    if (v === undefined) delete args[k];
    else args[k] = v;
  }
}

/** A config given by `environment: VAR` gets its content from that variable. */
export function resolveConfigContent(doc: Mapping, lookup: Lookup): void {
  const configs = doc.configs;
  if (!isMapping(configs)) return;
  for (const key of Object.keys(configs)) {
    const c = configs[key];
    if (!isMapping(c) || typeof c.environment !== 'string') continue;
    const v = lookup(c.environment);
    if (v !== undefined) c.content = v;
  }
}
