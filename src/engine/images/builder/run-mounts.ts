// `RUN --mount=…`, as BuildKit spells it, for the classic builder: what the
// step's container sees besides the stage's filesystem, none of it in the
// layer the step leaves.
//   type=bind   (default) a path of the build context, or of an earlier stage
//               or image (`from=`); read-only unless `rw`, and then a copy
//               whose changes are dropped
//   type=cache  a directory kept by the engine between builds, by `id` (the
//               target by default); `sharing=locked|private` take turns
//   type=tmpfs  an empty tmpfs (`size=`)
//   type=secret / type=ssh
//               need BuildKit's session, which this API has no way to pass:
//               skipped, or refused when `required`
// What a mount brings in is part of the step's cache key: the digest of the
// context files it binds, the stage it binds from, the cache's id.

import { createHash, randomBytes } from 'node:crypto';
import { chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import { resolveInRoot } from '../../containers/resolve-in-root.js';
import { BuildError } from './build-state.js';
import { findSources, sourcesDigest } from './copy-files.js';

export interface RunMount {
  type: 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
  target: string;
  source?: string;
  from?: string;
  readOnly: boolean;
  id?: string;
  sharing: 'shared' | 'private' | 'locked';
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  required: boolean;
}

/** One mount as the container request's HostConfig.Mounts spells it. */
export interface HostMount {
  Type: 'bind' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  TmpfsOptions?: { SizeBytes?: number };
}

const TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);

/** `type=cache,target=/root/.cache,id=pip` → a RunMount; `workdir` anchors a relative target. */
export function parseRunMount(spec: string, workdir: string): RunMount {
  const fields = new Map<string, string | undefined>();
  for (const part of spec.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    const key = (eq < 0 ? item : item.slice(0, eq)).toLowerCase();
    fields.set(key, eq < 0 ? undefined : item.slice(eq + 1));
  }
  const bad = (why: string) => new BuildError(`RUN --mount=${spec}: ${why}`);
  const type = (fields.get('type') ?? 'bind').toLowerCase();
  if (!TYPES.has(type)) throw bad(`unknown mount type "${type}"; use bind, cache, tmpfs, secret or ssh`);
  const flag = (name: string): boolean | undefined => {
    if (!fields.has(name)) return undefined;
    const v = fields.get(name);
    if (v === undefined || v === '' || v.toLowerCase() === 'true') return true;
    if (v.toLowerCase() === 'false') return false;
    throw bad(`${name} takes true or false, not "${v}"`);
  };
  const int = (name: string, base = 10): number | undefined => {
    const v = fields.get(name);
    if (v === undefined) return undefined;
    const n = parseInt(v, base);
    if (!/^\d+$/.test(v) || Number.isNaN(n)) throw bad(`${name} must be a number, not "${v}"`);
    return n;
  };
  const known = new Set(['type', 'target', 'dst', 'destination', 'source', 'src', 'from', 'readonly', 'ro', 'rw', 'readwrite', 'id', 'sharing', 'mode', 'uid', 'gid', 'size', 'required', 'env']);
  for (const key of fields.keys()) if (!known.has(key)) throw bad(`unknown option "${key}"`);

  const secretLike = type === 'secret' || type === 'ssh';
  const id = fields.get('id');
  let target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
  if (!target && type === 'secret' && id) target = `/run/secrets/${id}`;
  if (!target && secretLike) target = type === 'ssh' ? '/run/buildkit/ssh_agent' : '';
  if (!target) throw bad('a target is required: target=/path/in/the/container');
  target = posix.isAbsolute(target) ? posix.normalize(target) : posix.join(workdir || '/', target);

  const ro = flag('readonly') ?? flag('ro');
  const rw = flag('rw') ?? flag('readwrite');
  const readOnly = rw !== undefined ? !rw : (ro ?? type === 'bind');
  const sharing = (fields.get('sharing') ?? 'shared').toLowerCase();
  if (!['shared', 'private', 'locked'].includes(sharing)) throw bad(`sharing must be shared, private or locked, not "${sharing}"`);
  const size = fields.has('size') ? parseSize(fields.get('size')!, bad) : undefined;
  return {
    type: type as RunMount['type'],
    target,
    source: fields.get('source') ?? fields.get('src'),
    from: fields.get('from'),
    readOnly,
    id,
    sharing: sharing as RunMount['sharing'],
    mode: int('mode', 8),
    uid: int('uid'),
    gid: int('gid'),
    size,
    required: flag('required') ?? false,
  };
}

function parseSize(v: string, bad: (why: string) => Error): number {
  const m = /^(\d+)([kmg]?)b?$/i.exec(v.trim());
  if (!m) throw bad(`size must be bytes (or with k, m, g), not "${v}"`);
  return Number(m[1]) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
}

export interface MountSources {
  contextDir: string;
  /** Where cache mounts live between builds. */
  cacheRoot: string;
  /** The key that names an earlier stage's or an image's content (no mounting). */
  keyOf(from: string): string;
  /** An earlier stage or an image as a mounted root filesystem. */
  mountFrom(from: string): Promise<{ rootfs: string; release: () => Promise<void> }>;
}

export interface PreparedMounts {
  mounts: HostMount[];
  /** Takes down what was set up for the step: copies, mounted stages, cache locks. */
  release(): Promise<void>;
}

/** Cache directories with `sharing=locked` or `private` in use: one step at a time. */
const cacheTurns = new Map<string, Promise<void>>();

/** `secret`/`ssh` mounts that cannot be given: refused when required, else left out. */
function given(list: RunMount[]): RunMount[] {
  return list.filter((m) => {
    if (m.type !== 'secret' && m.type !== 'ssh') return true;
    if (m.required) {
      const what = m.type === 'secret' ? `secret ${m.id ?? ''}` : 'ssh agent';
      throw new BuildError(`${shownMount(m)}: ${what} is required, but this builder is not given ${m.type === 'secret' ? 'secrets' : 'an ssh agent'} (that needs BuildKit's session)`);
    }
    return false;
  });
}

function shownMount(m: RunMount): string {
  return `RUN --mount type=${m.type} target=${m.target}`;
}

function cacheId(m: RunMount): string {
  return m.id ?? m.target;
}

/**
 * What the mounts bring in, for the step's cache key, worked out without
 * mounting or copying anything: the digest of the context files a bind
 * takes, the key of the stage it takes them from, a cache's id.
 */
export function mountKeyParts(list: RunMount[], src: Pick<MountSources, 'contextDir' | 'keyOf'>): string[] {
  return given(list).map((m) => {
    if (m.type === 'tmpfs') return `tmpfs:${m.target}:${m.size ?? ''}`;
    // A cache's contents never make a step's result different in docker's eyes.
    if (m.type === 'cache') return `cache:${cacheId(m)}:${m.target}`;
    const source = bindSource(m);
    if (m.from) return `bind:${m.target}:${m.from}:${src.keyOf(m.from)}:${source}:${m.readOnly}`;
    return `bind:${m.target}:context:${source}:${m.readOnly}:${sourcesDigest(findSources(src.contextDir, source, shownMount(m)))}`;
  });
}

function bindSource(m: RunMount): string {
  return posix.normalize(`/${m.source ?? '/'}`);
}

/** Sets the mounts up for the step's container (a cache miss: the step runs). */
export async function prepareRunMounts(list: RunMount[], src: MountSources): Promise<PreparedMounts> {
  const mounts: HostMount[] = [];
  const undo: Array<() => Promise<void> | void> = [];
  const release = async () => {
    for (const u of undo.splice(0).reverse()) await u();
  };
  try {
    for (const m of given(list)) {
      const shown = shownMount(m);
      if (m.type === 'tmpfs') {
        mounts.push({ Type: 'tmpfs', Target: m.target, TmpfsOptions: m.size ? { SizeBytes: m.size } : undefined });
        continue;
      }
      if (m.type === 'cache') {
        if (m.from) throw new BuildError(`${shown}: a cache seeded from another stage (from=) is not supported; leave from= out`);
        const dir = join(src.cacheRoot, createHash('sha256').update(cacheId(m)).digest('hex').slice(0, 32));
        mkdirSync(dir, { recursive: true, mode: m.mode ?? 0o755 });
        if (m.uid !== undefined || m.gid !== undefined) chownSync(dir, m.uid ?? 0, m.gid ?? 0);
        if (m.sharing !== 'shared') {
          const before = cacheTurns.get(dir) ?? Promise.resolve();
          let done!: () => void;
          const mine = new Promise<void>((r) => (done = r));
          const turn = before.then(() => mine);
          cacheTurns.set(dir, turn);
          undo.push(() => {
            done();
            if (cacheTurns.get(dir) === turn) cacheTurns.delete(dir);
          });
          await before;
        }
        mounts.push({ Type: 'bind', Source: dir, Target: m.target, ReadOnly: m.readOnly });
        continue;
      }
      // bind
      const source = bindSource(m);
      let root = src.contextDir;
      if (m.from) {
        const stage = await src.mountFrom(m.from);
        undo.push(stage.release);
        root = stage.rootfs;
      }
      let host = resolveInRoot(root, source);
      if (m.from && !existsSync(host)) throw new BuildError(`${shown}: ${source} does not exist in ${m.from}`);
      if (!m.readOnly) {
        // Writes through a read-write bind are the step's alone: a copy takes them.
        const copy = join(src.cacheRoot, '..', 'run-copies', randomBytes(8).toString('hex'));
        mkdirSync(join(copy, '..'), { recursive: true, mode: 0o700 });
        try {
          cpSync(host, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
        } catch (e) {
          throw new BuildError(`${shown}: copying ${source} from the ${m.from ? `stage ${m.from}` : 'build context'}: ${(e as Error).message}`);
        }
        undo.push(() => rmSync(copy, { recursive: true, force: true }));
        host = copy;
      }
      mounts.push({ Type: 'bind', Source: host, Target: m.target, ReadOnly: m.readOnly });
    }
  } catch (e) {
    await release();
    throw e;
  }
  return { mounts, release };
}

/**
 * The runtime makes a mount's target (and its missing parents) in the
 * container's filesystem; empty stubs that no lower layer had are taken out
 * of the step's upper dir before it becomes a layer, as BuildKit does.
 */
export function removeMountStubs(upperDir: string, lowerDirs: string[], targets: string[]): void {
  const inLower = (rel: string) => lowerDirs.some((l) => lstatOrUndefined(join(l, rel)) !== undefined);
  for (const target of targets) {
    for (let rel = posix.normalize(target); rel !== '/' && rel !== '.'; rel = posix.dirname(rel)) {
      if (inLower(rel)) break;
      const st = lstatOrUndefined(join(upperDir, rel));
      if (!st) continue;
      const empty = st.isDirectory() ? readdirSync(join(upperDir, rel)).length === 0 : st.isFile() && st.size === 0;
      if (!empty) break;
      if (st.isDirectory()) rmdirSync(join(upperDir, rel));
      else unlinkSync(join(upperDir, rel));
    }
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
