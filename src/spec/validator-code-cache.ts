// The generated validator (a CommonJS file of ~370 KiB) loaded together
// with V8's code cache for it: the build runs the validator once over sample
// documents and saves the compiled code beside it, so a run neither parses
// the file nor compiles the validation functions it calls (about a third of
// the schema stage of a big `compose config`). A cache that does not fit
// (another Node, other V8 flags) is rejected by V8 and the file is compiled
// as usual. V8 compares only the source's length, so the cache also records
// the size and modification time of the file it was made from: a file
// edited after the build is compiled, never run as its old code.

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** Where the code cache of a generated file is kept. */
export function codeCacheFile(file: string): string {
  return `${file}.v8cache`;
}

interface Loaded {
  exports: unknown;
  script: Script;
  cacheRejected: boolean;
}

function run(file: string, cachedData: Buffer | undefined): Loaded {
  // CommonJS's own wrapper, so the file sees exports, require and module as under require().
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: { exports: unknown }, f: string, d: string) => void;
  wrapper(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, cacheRejected: cachedData !== undefined && script.cachedDataRejected === true };
}

/** What the cache was made from: `<size> <mtime in ms>` of the file, first line of the cache file. */
function stamp(file: string): string {
  const st = statSync(file);
  return `${st.size} ${st.mtimeMs}`;
}

/** The V8 data of the file's cache when it was made from the file as it is now. */
function cachedDataFor(file: string): Buffer | undefined {
  const cacheFile = codeCacheFile(file);
  if (!existsSync(cacheFile)) return undefined;
  const all = readFileSync(cacheFile);
  const nl = all.indexOf(10);
  if (nl < 0 || all.toString('latin1', 0, nl) !== stamp(file)) return undefined;
  return all.subarray(nl + 1);
}

/** The file's exports, compiled from its code cache when there is one that fits. */
export function loadWithCodeCache(file: string): { exports: unknown; cacheUsed: boolean } {
  const cachedData = cachedDataFor(file);
  const loaded = run(file, cachedData);
  return { exports: loaded.exports, cacheUsed: cachedData !== undefined && !loaded.cacheRejected };
}

/**
 * Build time: load the file, let `warmUp` call into it (V8 compiles a
 * function when it first runs, and only compiled functions are cached), and
 * save the cache. Returns the cache's size in bytes.
 */
export function writeCodeCache(file: string, warmUp: (exports: unknown) => void): number {
  const loaded = run(file, undefined);
  warmUp(loaded.exports);
  const data = loaded.script.createCachedData();
  writeFileSync(codeCacheFile(file), Buffer.concat([Buffer.from(`${stamp(file)}\n`, 'latin1'), data]));
  return data.length;
}
