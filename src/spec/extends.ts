// Stage 5b: `extends`, in one file and across files. The base service is
// merged under the extending one (the extending service wins), by the same
// rules as multi-file merges; chains resolve recursively and cycles are
// errors that list the whole chain.

import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { GantryError } from '../common/errors.js';
import { suggestion } from '../common/suggest.js';
import type { WarningSink } from './context.js';
import { mergeServices } from './merge.js';
import { carry, clone, formatPath, isMapping, positionAt, type Mapping, type Path } from './tree.js';

export interface ExtendsContext {
  /** Absolute path of the document being processed ('-' for stdin). */
  file: string;
  /** Directory `extends.file` is relative to. */
  baseDir: string;
  /** Loads another compose file up to canonical form (cached, extends not applied). */
  loadDocument(absPath: string): Promise<Mapping>;
  warn: WarningSink;
}

interface Frame {
  file: string;
  service: string;
}

export async function applyExtends(doc: Mapping, ctx: ExtendsContext): Promise<void> {
  const services = doc.services;
  if (!isMapping(services)) return;
  const resolved = new Map<string, Mapping>();
  for (const name of Object.keys(services)) {
    const svc = services[name];
    if (isMapping(svc) && svc.extends !== undefined) {
      services[name] = await resolveService(doc, ctx.file, ctx.baseDir, name, ctx, [], resolved);
    }
  }
}

async function resolveService(doc: Mapping, file: string, baseDir: string, name: string, ctx: ExtendsContext, chain: Frame[], resolved: Map<string, Mapping>): Promise<Mapping> {
  const id = `${file}\u0000${name}`;
  const done = resolved.get(id);
  if (done) return done;
  const services = doc.services as Mapping;
  const svc = services[name] as Mapping;
  if (svc.extends === undefined) return svc;
  const path: Path = ['services', name, 'extends'];
  const ext = svc.extends;
  const target = typeof ext === 'string' ? { service: ext, file: undefined } : isMapping(ext) ? { service: String(ext.service ?? ''), file: typeof ext.file === 'string' ? ext.file : undefined } : undefined;
  if (!target || target.service === '') {
    throw new GantryError('schema', `extends of service "${name}" must name a service`, { path: formatPath(path), position: positionAt(doc, path), hint: 'write extends: base, or extends: {service: base, file: other.yaml}' });
  }
  const frame = { file, service: name };
  const here = [...chain, frame];
  const baseFile = target.file ? (isAbsolute(target.file) ? target.file : resolve(baseDir, target.file)) : file;
  const start = here.findIndex((f) => f.file === baseFile && f.service === target.service);
  if (start >= 0) {
    const loop = [...here.slice(start), { file: baseFile, service: target.service }];
    const oneFile = loop.every((f) => f.file === loop[0]!.file);
    const names = loop.map((f) => (oneFile ? f.service : `${f.service} (${relative(ctx.baseDir, f.file) || f.file})`));
    throw new GantryError('cycle', `extends cycle: ${names.join(' -> ')}`, { path: formatPath(path), position: positionAt(doc, path), hint: 'a service cannot extend itself, directly or through others' });
  }

  let baseDoc = doc;
  if (target.file) {
    if (!existsSync(baseFile)) {
      throw new GantryError('file', `service "${name}" extends a service in ${target.file}, which does not exist`, { path: formatPath(path), position: positionAt(doc, path), hint: `the path is relative to ${baseDir}` });
    }
    try {
      baseDoc = await ctx.loadDocument(baseFile);
    } catch (e) {
      if (e instanceof GantryError && e.kind === 'file' && !e.position) {
        throw new GantryError('file', `service "${name}" extends a service in ${target.file}, which cannot be read: ${e.message}`, { path: formatPath(path), position: positionAt(doc, path), hint: `the path is relative to ${baseDir}`, cause: e });
      }
      throw e;
    }
  }
  const baseServices = isMapping(baseDoc.services) ? baseDoc.services : {};
  if (!isMapping(baseServices[target.service])) {
    const where = target.file ? ` in ${target.file}` : '';
    throw new GantryError('reference', `service "${name}" extends an undefined service "${target.service}"${where}`, {
      path: formatPath(path),
      position: positionAt(doc, path),
      hint: suggestion(target.service, Object.keys(baseServices), 'service'),
    });
  }
  const baseDirOfBase = target.file ? resolve(baseFile, '..') : baseDir;
  const base = await resolveService(baseDoc, baseFile, baseDirOfBase, target.service, ctx, here, resolved);
  const local = carry(svc, { ...svc });
  delete local.extends;
  const merged = mergeServices(clone(base), local, name);
  delete merged.extends;
  resolved.set(id, merged);
  return merged;
}
