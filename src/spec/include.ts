// Stage 5a: `include` of other compose projects. Each included project is
// loaded on its own (its own directory, its own .env, its own includes and
// extends) and its resources are copied in; the same name defined twice with
// different content is an error, as in docker compose.

import { dirname, isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
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

export async function applyInclude(doc: Mapping, ctx: IncludeContext): Promise<void> {
  const include = doc.include;
  if (include === undefined) return;
  delete doc.include;
  if (!Array.isArray(include)) return;
  const origin = new Map<string, string>(); // "services/web" → file that defined it
  for (const kind of RESOURCES) {
    if (isMapping(doc[kind])) for (const n of Object.keys(doc[kind] as Mapping)) origin.set(`${kind}/${n}`, ctx.file);
  }
  const holder: Mapping = { include };
  for (let i = 0; i < include.length; i++) {
    const path: Path = ['include', i];
    const req = request(include[i]!, ctx.baseDir);
    const where = { path: formatPath(path), position: positionAt(holder, path) };
    for (const f of req.files) {
      if (!existsSync(f)) throw new GantryError('file', `included file ${f} does not exist`, { ...where, hint: `paths in include are relative to ${ctx.baseDir}` });
      if (ctx.chain.includes(f)) {
        throw new GantryError('cycle', `include cycle: ${[...ctx.chain, f].join(' -> ')}`, { ...where, hint: 'a file cannot include itself, directly or through others' });
      }
    }
    const sub = await ctx.loadProject(req, ctx.chain);
    for (const kind of RESOURCES) {
      const from = sub[kind];
      if (!isMapping(from)) continue;
      const into = (isMapping(doc[kind]) ? doc[kind] : (doc[kind] = {})) as Mapping;
      for (const [name, def] of Object.entries(from)) {
        const key = `${kind}/${name}`;
        if (Object.hasOwn(into, name)) {
          if (sameContent(into[name]!, def)) continue;
          throw new GantryError('reference', `${kind.slice(0, -1)} "${name}" is defined both in ${origin.get(key) ?? ctx.file} and in the included ${req.files[0]}`, {
            ...where,
            hint: `rename one of them; include does not merge definitions (use -f files or extends for that)`,
          });
        }
        into[name] = def;
        origin.set(key, req.files[0]!);
      }
    }
  }
}

function request(entry: Node, baseDir: string): IncludeRequest {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  if (typeof entry === 'string') {
    const file = abs(entry);
    return { files: [file], projectDirectory: dirname(file), envFiles: [] };
  }
  const m = isMapping(entry) ? entry : {};
  const paths = (Array.isArray(m.path) ? m.path : [m.path]).filter((p): p is string => typeof p === 'string').map(abs);
  const envFiles = (Array.isArray(m.env_file) ? m.env_file : m.env_file === undefined ? [] : [m.env_file]).filter((p): p is string => typeof p === 'string').map(abs);
  const dir = typeof m.project_directory === 'string' ? abs(m.project_directory) : dirname(paths[0] ?? baseDir);
  return { files: paths, projectDirectory: dir, envFiles };
}

function sameContent(a: Node, b: Node): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
