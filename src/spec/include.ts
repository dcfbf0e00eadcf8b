// Stage 5a: `include` of other compose projects (spec 14-include.md). Each
// entry is loaded as a project of its own (its own directory, its own .env,
// its own includes and extends) and its resources are copied in. A name
// defined here and by an include, or by two includes, is an error unless the
// two definitions are the same, as Docker's documentation says: include
// does not merge; an override file listed in the entry's `path` does.

import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { GantryError } from '../common/errors.js';
import type { WarningSink } from './context.js';
import { formatPath, isMapping, positionAt, type Mapping, type Node, type Path } from './tree.js';

export interface IncludeRequest {
  /** Absolute compose file paths of the included project, in merge order. */
  files: string[];
  /** Absolute project directory of the included project. */
  projectDirectory: string;
  /** Absolute env files for its interpolation (empty: its own `.env`). */
  envFiles: string[];
}

export interface IncludeContext {
  file: string;
  baseDir: string;
  /** Loads a whole sub-project (its own env, include, extends, merge) into one canonical document. */
  loadProject(req: IncludeRequest, chain: string[]): Promise<Mapping>;
  /** Files already being included above this one (for cycle errors). */
  chain: string[];
  warn: WarningSink;
}

const RESOURCES = ['services', 'networks', 'volumes', 'secrets', 'configs', 'models'] as const;

/** `/dev/null` as an env file means "no env file at all", as in compose-go. */
const NO_ENV_FILE = '/dev/null';

export async function applyInclude(doc: Mapping, ctx: IncludeContext): Promise<void> {
  if (!Object.hasOwn(doc, 'include')) return;
  const include = doc.include;
  // Positions of the entries are read through a holder, as `include` leaves the document now.
  const holder: Mapping = { include };
  delete doc.include;
  if (include === null) return;
  const entries = Array.isArray(include) ? include : [include];

  // Where each resource came from, for conflict messages: "services/web" → file.
  const origin = new Map<string, string>();
  for (const kind of RESOURCES) {
    const defs = doc[kind];
    if (isMapping(defs)) for (const name of Object.keys(defs)) origin.set(`${kind}/${name}`, ctx.file);
  }

  for (let i = 0; i < entries.length; i++) {
    const at: Path = Array.isArray(include) ? ['include', i] : ['include'];
    const req = includeRequest(entries[i]!, at, holder, ctx);
    const sub = await ctx.loadProject(req, ctx.chain);
    importResources(doc, sub, req.files[0]!, origin, holder, at, ctx);
  }
}

function includeRequest(entry: Node, at: Path, holder: Mapping, ctx: IncludeContext): IncludeRequest {
  const fail = (kind: 'file' | 'cycle' | 'schema', path: Path, message: string, hint: string) =>
    new GantryError(kind, message, { path: formatPath(path), position: positionAt(holder, path), hint });
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(ctx.baseDir, p));

  // Short syntax is one path; long syntax names one or several, merged in order.
  const long = isMapping(entry);
  const written = long ? entry.path : entry;
  const paths = Array.isArray(written) ? written : [written];
  const pathAt = (j: number): Path => (!long ? at : Array.isArray(written) ? [...at, 'path', j] : [...at, 'path']);
  if (paths.length === 0 || paths.some((p) => typeof p !== 'string' || p === '')) {
    throw fail('schema', long ? [...at, 'path'] : at, 'include needs the path of a compose file', 'write include: [other/compose.yaml], or include: [{path: other/compose.yaml}]');
  }

  const files = (paths as string[]).map(abs);
  files.forEach((f, j) => {
    if (!isFile(f)) {
      throw fail('file', pathAt(j), `included file ${paths[j]} does not exist (${f})`, `paths in include are relative to ${ctx.baseDir}`);
    }
    if (ctx.chain.includes(f)) {
      // Shown from where the outermost file is, the same for every file of the chain.
      const from = dirname(ctx.chain[0] ?? ctx.file);
      const loop = [...ctx.chain.slice(ctx.chain.indexOf(f)), f].map((c) => shownPath(c, from));
      throw fail('cycle', pathAt(j), `include cycle: ${loop.join(' -> ')}`, 'a compose file cannot include itself, directly or through others');
    }
  });

  const m: Mapping = long ? entry : {};
  const projectDirectory = typeof m.project_directory === 'string' ? abs(m.project_directory) : dirname(files[0]!);

  const envWritten = m.env_file === undefined || m.env_file === null ? [] : Array.isArray(m.env_file) ? m.env_file : [m.env_file];
  const envFiles = envWritten.map((e, j) => {
    const envAt: Path = Array.isArray(m.env_file) ? [...at, 'env_file', j] : [...at, 'env_file'];
    if (typeof e !== 'string' || e === '') throw fail('schema', envAt, 'env_file of an include must be a file path', 'write env_file: path/to/.env, or a list of them');
    if (e === NO_ENV_FILE) return e;
    const f = abs(e);
    if (!isFile(f)) throw fail('file', envAt, `env file ${e} of the include does not exist (${f})`, `paths in include are relative to ${ctx.baseDir}`);
    return f;
  });
  return { files, projectDirectory, envFiles };
}

function importResources(doc: Mapping, sub: Mapping, from: string, origin: Map<string, string>, holder: Mapping, at: Path, ctx: IncludeContext): void {
  for (const kind of RESOURCES) {
    const defs = sub[kind];
    if (!isMapping(defs)) continue;
    let into = doc[kind];
    if (!isMapping(into)) doc[kind] = into = {};
    for (const name of Object.keys(defs)) {
      const key = `${kind}/${name}`;
      if (Object.hasOwn(into, name)) {
        if (sameDefinition(into[name]!, defs[name]!)) continue;
        const first = origin.get(key) ?? ctx.file;
        throw new GantryError('reference', `${kind.slice(0, -1)} "${name}" is defined both in ${shownPath(first, ctx.baseDir)} and in the included ${shownPath(from, ctx.baseDir)}`, {
          path: formatPath(at),
          position: positionAt(holder, at),
          hint: `rename one of them; to change an included definition, list an override file after it: include: [{path: [${shownPath(from, ctx.baseDir)}, override.yaml]}]`,
        });
      }
      into[name] = defs[name]!;
      origin.set(key, from);
    }
  }
}

/** Structural equality, key order aside: two includes may well define the same network. */
function sameDefinition(a: Node, b: Node): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameDefinition(x, b[i]!));
  if (isMapping(a)) {
    if (!isMapping(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && sameDefinition(a[k]!, b[k]!));
  }
  return false;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

function shownPath(file: string, dir: string): string {
  if (!isAbsolute(file)) return file;
  return relative(dir, file) || file;
}
