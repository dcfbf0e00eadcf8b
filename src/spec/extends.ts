// Stage 5b: `extends`, in one file and across files. The extending service
// is laid over its base by the merge rules (merge.ts), as compose-go's
// ExtendService does: it wins for scalars, mappings merge, unique sequences
// lose repeats. Everything is inherited, `depends_on`, `links`,
// `volumes_from` and `network_mode: service:…` included (compose v2; v1 left
// those out); the resources they name are not imported (05-services.md,
// "Restrictions"). Chains resolve recursively across files, each (file,
// service) once; a cycle is an error that lists it whole.

import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { GantryError } from '../common/errors.js';
import { suggestion } from '../common/suggest.js';
import type { WarningSink } from './context.js';
import { extendService } from './merge.js';
import { formatPath, isMapping, positionAt, type Mapping, type Path } from './tree.js';

export interface ExtendsContext {
  /** Absolute path of the document being processed ('-' for stdin). */
  file: string;
  /** Directory `extends.file` is relative to. */
  baseDir: string;
  /** Loads another compose file up to canonical form (cached, extends not applied). */
  loadDocument(absPath: string): Promise<Mapping>;
  warn: WarningSink;
}

/** A compose document and where its relative `extends.file` paths start. */
interface Source {
  doc: Mapping;
  file: string;
  baseDir: string;
}

interface Frame {
  file: string;
  service: string;
}

// Resolved services per document object: a file that many services extend
// (the loader caches it) is resolved once, and no document is changed
// except the one being processed.
const resolvedIn = new WeakMap<Mapping, Map<string, Mapping>>();

export async function applyExtends(doc: Mapping, ctx: ExtendsContext): Promise<void> {
  const services = doc.services;
  if (!isMapping(services)) return;
  const source: Source = { doc, file: ctx.file, baseDir: ctx.baseDir };
  const run: Run = { ctx, loads: new Map() };
  for (const name of Object.keys(services)) {
    const svc = services[name];
    if (isMapping(svc) && svc.extends !== undefined) services[name] = await resolveService(source, name, [], run);
  }
}

/** One applyExtends call: its context, and each other file loaded once. */
interface Run {
  ctx: ExtendsContext;
  loads: Map<string, Promise<Mapping>>;
}

async function resolveService(src: Source, name: string, chain: Frame[], run: Run): Promise<Mapping> {
  let cache = resolvedIn.get(src.doc);
  const done = cache?.get(name);
  if (done) return done;
  const svc = (src.doc.services as Mapping)[name];
  if (!isMapping(svc)) return {}; // `base:` with no body extends to nothing
  if (svc.extends === undefined) return svc;

  const path: Path = ['services', name, 'extends'];
  const target = extendsTarget(src, name, svc.extends);
  const here = [...chain, { file: src.file, service: name }];
  const base = await baseSource(src, name, target.file, run);

  const start = here.findIndex((f) => f.file === base.file && f.service === target.service);
  if (start >= 0) {
    const loop = [...here.slice(start), { file: base.file, service: target.service }];
    throw new GantryError('cycle', `extends cycle: ${describeLoop(loop, run.ctx.baseDir)}`, {
      path: formatPath(path),
      position: positionAt(src.doc, path),
      hint: 'a service cannot extend itself, directly or through others; remove one extends of the loop',
    });
  }

  const baseServices = isMapping(base.doc.services) ? base.doc.services : {};
  if (!Object.hasOwn(baseServices, target.service)) {
    const where = target.file === undefined ? '' : ` in ${target.file}`;
    const at: Path = isMapping(svc.extends) ? [...path, 'service'] : path;
    throw new GantryError('reference', `service "${name}" extends service "${target.service}", which is not defined${where}`, {
      path: formatPath(at),
      position: positionAt(src.doc, at),
      hint: suggestion(target.service, Object.keys(baseServices), 'service'),
    });
  }

  const resolvedBase = await resolveService(base, target.service, here, run);
  const merged = extendService(resolvedBase, svc);
  delete merged.extends;
  if (!cache) resolvedIn.set(src.doc, (cache = new Map()));
  cache.set(name, merged);
  return merged;
}

function extendsTarget(src: Source, name: string, ext: unknown): { service: string; file?: string } {
  if (typeof ext === 'string' && ext !== '') return { service: ext };
  if (isMapping(ext) && typeof ext.service === 'string' && ext.service !== '') {
    return { service: ext.service, file: typeof ext.file === 'string' ? ext.file : undefined };
  }
  const path: Path = ['services', name, 'extends'];
  throw new GantryError('schema', `extends of service "${name}" must name a service`, {
    path: formatPath(path),
    position: positionAt(src.doc, path),
    hint: 'write extends: base, or extends: {service: base, file: other.yaml}',
  });
}

/** The document that holds the base service: this one, or `file` loaded. */
async function baseSource(src: Source, name: string, file: string | undefined, run: Run): Promise<Source> {
  if (file === undefined) return src;
  const abs = isAbsolute(file) ? file : resolve(src.baseDir, file);
  if (abs === src.file) return src;
  const path: Path = ['services', name, 'extends', 'file'];
  const where = { path: formatPath(path), position: positionAt(src.doc, path) };
  if (!isFile(abs)) {
    throw new GantryError('file', `service "${name}" extends a service in ${file}, which does not exist (${abs})`, {
      ...where,
      hint: `extends.file is relative to ${src.baseDir}`,
    });
  }
  try {
    let load = run.loads.get(abs);
    if (!load) run.loads.set(abs, (load = run.ctx.loadDocument(abs)));
    return { doc: await load, file: abs, baseDir: dirname(abs) };
  } catch (e) {
    // A read failure has no place in the file it names; point at the extends instead.
    if (e instanceof GantryError && e.kind === 'file' && !e.position) {
      throw new GantryError('file', `service "${name}" extends a service in ${file}, which cannot be read: ${e.message}`, { ...where, cause: e });
    }
    throw e;
  }
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `a -> b -> a`, or with files when the loop crosses them: `a (compose.yaml) -> b (base.yaml) -> a (compose.yaml)`. */
function describeLoop(loop: Frame[], dir: string): string {
  const oneFile = loop.every((f) => f.file === loop[0]!.file);
  return loop.map((f) => (oneFile ? f.service : `${f.service} (${shownPath(f.file, dir)})`)).join(' -> ');
}

function shownPath(file: string, dir: string): string {
  if (!isAbsolute(file)) return file;
  return relative(dir, file) || file;
}
