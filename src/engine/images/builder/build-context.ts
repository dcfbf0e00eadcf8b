// The build context: the request's tar (plain or gzip) unpacked into a
// private temp dir with the same guards as an image layer (no absolute
// paths, no `..`, never through a symlink), then trimmed by .dockerignore.
// Symlinks inside it may point anywhere; they are only ever read through
// resolveInRoot, so they cannot lead outside the context.

import { existsSync, lstatSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import { badRequest } from '../../api/api-error.js';
import { resolveInRoot } from '../../containers/resolve-in-root.js';
import { UnsafeLayerError, unpackLayer } from '../layer-unpack.js';

export interface BuildContext {
  dir: string;
  dockerfile: string;
  remove(): void;
}

/** Unpack the context into `dir` and read the Dockerfile; the dir is removed again on failure. */
export async function openContext(tar: Readable, dir: string, dockerfileName: string): Promise<BuildContext> {
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await unpackLayer(tar, dir);
  } catch (e) {
    remove();
    if (e instanceof UnsafeLayerError) throw badRequest(`the build context is refused: ${e.message}`);
    throw badRequest(`reading the build context: ${(e as Error).message}`);
  }
  try {
    const dfPath = resolveInRoot(dir, dockerfileName);
    let dockerfile: string;
    try {
      dockerfile = readFileSync(dfPath, 'utf8');
    } catch {
      throw badRequest(`Cannot locate specified Dockerfile: ${dockerfileName}`);
    }
    applyDockerignore(dir);
    return { dir, dockerfile, remove };
  } catch (e) {
    remove();
    throw e;
  }
}

/** Delete what .dockerignore excludes; the Dockerfile itself was read already. */
export function applyDockerignore(dir: string): void {
  const file = join(dir, '.dockerignore');
  if (!existsSync(file) || !lstatSync(file).isFile()) return;
  const patterns = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  // The package's types describe an ES default export; under Node it is the CommonJS export, which has `.default` too.
  const ig = dockerignore.default().add(patterns);
  const walk = (rel: string): boolean => {
    // True when the directory ended up empty and is itself ignored.
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      const full = join(dir, path);
      if (lstatSync(full).isDirectory()) {
        if (walk(path) && ig.ignores(path)) rmdirSync(full);
      } else if (ig.ignores(path)) rmSync(full, { force: true });
    }
    return readdirSync(join(dir, rel)).length === 0;
  };
  walk('');
}
