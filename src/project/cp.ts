// `compose cp`: copy files between a service's container and the local
// filesystem, through the engine's archive calls (tar in, tar out), with
// `docker cp`'s rules for names and destinations (see copy-plan.ts).
//   SERVICE:SRC DEST   out of the service's first container (or --index)
//   SRC SERVICE:DEST   into every container of the service (or --index)
// `-` as the local side is a tar stream: stdin in, the caller's stream out.

import { lstat, readlink, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { isAbsolute, resolve } from 'node:path';
import { GantryError } from '../common/errors.js';
import type { ContainerSummary, EngineClient } from '../engine-client/index.js';
import type { LoadOptions } from '../spec/index.js';
import { byReplica, serviceContainers } from './containers.js';
import { planCopy, splitPathDirEntry, type DestinationInfo, type SourceInfo } from './copy-plan.js';
import { nameOf, type EngineOptions } from './session.js';
import { extractTar } from './tar-extract.js';
import { packPath } from './tar-pack.js';
import { openTarget } from './target.js';

export interface CopyOptions extends EngineOptions {
  /** `SERVICE:PATH`, a local path, or `-` (a tar stream on `stdin`). */
  source: string;
  /** `SERVICE:PATH`, a local path, or `-` (the tar stream is handed back). */
  destination: string;
  /** The replica; without it, out of the first container and into all of them. */
  index?: number;
  /** Also one-off (`run`) containers. */
  all?: boolean;
  /** -L: copy what a symbolic link source points to. */
  followLink?: boolean;
  /** -a: keep uid/gid. */
  archive?: boolean;
  /** The tar stream for a `-` source. */
  stdin?: NodeJS.ReadableStream;
  /** Working directory for relative local paths; process.cwd() by default. */
  cwd?: string;
}

export interface CopyResult {
  direction: 'from-container' | 'to-container';
  /** The containers copied from or into. */
  containers: string[];
  /** For a `-` destination: the archive, to be read to its end. */
  tar?: Readable;
}

export async function cp(load: LoadOptions, opts: CopyOptions): Promise<CopyResult> {
  const src = splitCopyArg(opts.source);
  const dst = splitCopyArg(opts.destination);
  if (src.service !== undefined && dst.service !== undefined) {
    throw new GantryError('usage', 'copying between services is not supported', { hint: 'copy to a local path first, then from it' });
  }
  if (src.service === undefined && dst.service === undefined) {
    throw new GantryError('usage', 'one of the paths must name a service: SERVICE:PATH', { hint: 'e.g. compose cp web:/etc/hosts ./hosts, or compose cp ./conf web:/etc/app' });
  }
  if (!src.path || !dst.path) throw new GantryError('usage', `${!src.path ? 'source' : 'destination'} path cannot be empty`);
  const service = (src.service ?? dst.service)!;
  const { name, engine } = await openTarget(load, opts, [service]);
  const candidates = (await serviceContainers(engine, name, { service, index: opts.index, all: true, oneoff: opts.all, signal: opts.signal })).sort(byReplica);
  if (!candidates.length) {
    throw new GantryError('engine', opts.index ? `service "${service}" has no container #${opts.index}` : `no container found for service "${service}"`, {
      hint: `create it first: compose up -d ${service}`,
    });
  }
  const cwd = opts.cwd ?? process.cwd();
  if (src.service !== undefined) {
    const c = candidates[0]!;
    const tar = await copyFromContainer(engine, c, src.path, dst.path === '-' ? undefined : { path: localPath(cwd, dst.path), shown: dst.path }, opts);
    return { direction: 'from-container', containers: [nameOf(c)], tar };
  }
  const targets = opts.index ? candidates.slice(0, 1) : candidates;
  // One stdin can feed only one upload; several replicas need it kept.
  const stdinTar = src.path === '-' ? await stdinArchive(opts.stdin, targets.length > 1) : undefined;
  for (const c of targets) await copyToContainer(engine, c, src.path === '-' ? '-' : localPath(cwd, src.path), dst.path, opts, stdinTar);
  return { direction: 'to-container', containers: targets.map(nameOf) };
}

/** `web:/app` → service and path; an absolute path, or one whose first part starts with `.`, is local. */
export function splitCopyArg(arg: string): { service?: string; path: string } {
  if (isAbsolute(arg)) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon < 0 || arg.startsWith('.')) return { path: arg };
  return { service: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

/** Absolute, keeping a trailing `/` or `/.`, which mean something to the copy. */
function localPath(cwd: string, p: string): string {
  const abs = resolve(cwd, p);
  if (p.endsWith('/.') || p === '.') return abs === '/' ? '/.' : `${abs}/.`;
  if (p.endsWith('/') && abs !== '/') return `${abs}/`;
  return abs;
}

async function copyFromContainer(engine: EngineClient, c: ContainerSummary, srcPath: string, dest: { path: string; shown: string } | undefined, opts: CopyOptions): Promise<Readable | undefined> {
  const shownSrc = `${nameOf(c)}:${srcPath}`;
  let path = srcPath;
  let rename: string | undefined;
  if (opts.followLink) {
    const st = await engine.containers.statPath(c.Id, srcPath);
    if (st && isSymlink(st.mode)) {
      const [parent, base] = splitPathDirEntry(srcPath);
      path = st.linkTarget.startsWith('/') ? st.linkTarget : `${parent}/${st.linkTarget}`;
      rename = base;
    }
  }
  const { stat: st, tar } = await engine.containers.getArchive(c.Id, path, { signal: opts.signal }).catch((e: unknown) => {
    throw notFound(e, shownSrc);
  });
  if (dest === undefined) return tar;
  // A followed link's target is named after the link.
  const source: SourceInfo = { isDir: st ? isDir(st.mode) : false, root: st?.name ?? splitPathDirEntry(path)[1], name: rename };
  try {
    const plan = planCopy(source, await localDestination(dest.path, dest.shown));
    await extractTar(tar, plan, { preserveOwner: opts.archive && process.getuid?.() === 0 });
  } finally {
    // A refused or failed copy leaves the rest of the archive unread: let its connection go.
    if (!tar.readableEnded) tar.destroy();
  }
  return undefined;
}

async function copyToContainer(engine: EngineClient, c: ContainerSummary, src: string, dstPath: string, opts: CopyOptions, stdinTar: (() => NodeJS.ReadableStream) | undefined): Promise<void> {
  const shownDst = `${nameOf(c)}:${dstPath}`;
  let dest: DestinationInfo = { path: dstPath, exists: false, isDir: false, shown: shownDst };
  let st = await engine.containers.statPath(c.Id, dstPath);
  if (st && isSymlink(st.mode)) {
    const [parent] = splitPathDirEntry(dstPath);
    const target = st.linkTarget.startsWith('/') ? st.linkTarget : `${parent}/${st.linkTarget}`;
    dest = { ...dest, path: target };
    st = await engine.containers.statPath(c.Id, target);
  }
  if (st) {
    if (isDevice(st.mode)) throw new GantryError('usage', `destination ${shownDst} must be a directory or a regular file`);
    dest = { ...dest, exists: true, isDir: isDir(st.mode) };
  }
  const upload = { noOverwriteDirNonDir: true, copyUIDGID: opts.archive, signal: opts.signal };
  if (src === '-') {
    if (!dest.isDir) throw new GantryError('usage', `destination ${shownDst} must be a directory`, { hint: 'a tar stream on stdin is unpacked into a directory' });
    await engine.containers.putArchive(c.Id, dest.path, stdinTar!(), upload);
    return;
  }
  const local = await (opts.followLink ? stat(src) : lstat(src)).catch((e: NodeJS.ErrnoException) => {
    throw new GantryError('file', `cannot copy ${src}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`, { cause: e });
  });
  const [, base] = splitPathDirEntry(src);
  const plan = planCopy({ isDir: local.isDirectory(), root: base }, dest);
  const root = plan.rename?.to ?? base;
  await engine.containers.putArchive(c.Id, plan.dir, Readable.from(packPath(src.replace(/\/$/, '') || '/', { root, followLink: opts.followLink })), upload);
}

/** Where a copy out of a container lands: the local path, links at it followed. */
async function localDestination(path: string, shown: string): Promise<DestinationInfo> {
  let current = path;
  for (let hops = 0; hops < 10; hops++) {
    const st = await lstat(current).catch(() => undefined);
    if (!st) break;
    if (!st.isSymbolicLink()) return { path: current, exists: true, isDir: st.isDirectory(), shown };
    const target = await readlink(current);
    current = target.startsWith('/') ? target : resolve(splitPathDirEntry(current)[0], target);
  }
  const [parent] = splitPathDirEntry(current);
  const parentStat = await stat(parent).catch(() => undefined);
  if (!parentStat?.isDirectory()) {
    throw new GantryError('file', `cannot copy to ${shown}: ${parentStat ? `${parent} is not a directory` : `the directory ${parent} does not exist`}`, { hint: 'create the directory first' });
  }
  return { path: current, exists: false, isDir: false, shown };
}

async function stdinArchive(stdin: NodeJS.ReadableStream | undefined, keep: boolean): Promise<() => NodeJS.ReadableStream> {
  const input = stdin ?? process.stdin;
  if (!keep) return () => input;
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  const all = Buffer.concat(chunks);
  return () => Readable.from([all]);
}

function notFound(e: unknown, shown: string): unknown {
  if ((e as { statusCode?: number }).statusCode === 404) {
    return new GantryError('file', `no such file or directory in the container: ${shown}`, { hint: 'check the path with: compose exec SERVICE ls', cause: e });
  }
  return e;
}

// The archive calls describe paths with Go's os.FileMode: the type in the high bits.
const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
const MODE_DEVICE = 2 ** 26;
const MODE_IRREGULAR = 2 ** 19;
const has = (mode: number, bit: number) => Math.floor(mode / bit) % 2 === 1;
const isDir = (mode: number) => has(mode, MODE_DIR);
const isSymlink = (mode: number) => has(mode, MODE_SYMLINK);
const isDevice = (mode: number) => has(mode, MODE_DEVICE) || has(mode, MODE_IRREGULAR);

