// `services.*.volumes`. Short syntax `SOURCE:TARGET[:MODE]` (or a lone
// `TARGET` for an anonymous volume) becomes the long form compose-go prints:
// a source starting with `.`, `/` or `~` is a bind mount made absolute,
// anything else names a volume.

import { posix } from 'node:path';
import { isMapping, type Mapping } from '../tree.js';
import { absolutePath, isCleanAbsolute } from './host-paths.js';
import { reorder } from './reshape.js';
import { unresolved, valueError, warnAt, type Rule, type Site } from './site.js';

const HINT =
  'use SOURCE:TARGET[:MODE] or a lone TARGET, with MODE a comma list of ro, rw, z, Z, nocopy, ' +
  'shared, rshared, slave, rslave, private, rprivate; e.g. "./data:/data:ro" or "db-data:/var/lib/db"';

const PROPAGATIONS = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
// Docker Desktop's old file-sharing hints: accepted, and meaningless on Linux.
const CONSISTENCY = new Set(['cached', 'delegated', 'consistent']);

const VOLUME_KEYS = ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs', 'image'];
const BIND_KEYS = ['selinux', 'propagation', 'create_host_path', 'recursive'];

class VolumeSyntax extends Error {}

/** Split at `:` except inside `${…}`, so `${DIR:-./data}:/data` keeps its default. */
function splitSpec(spec: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '$' && spec[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && depth > 0) depth--;
    else if (c === ':' && depth === 0) {
      parts.push(spec.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(spec.slice(start));
  return parts;
}

function isHostPath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~') || source.startsWith('\\\\');
}

/** Container paths are cleaned as Go's path.Clean does: no `.`/`..`, no trailing slash. */
export function cleanTarget(target: string): string {
  if (isCleanAbsolute(target)) return target;
  const clean = posix.normalize(target);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}

function isAbsoluteTarget(t: string): boolean {
  return t.startsWith('/') || /^[A-Za-z]:[\\/]/.test(t) || t.startsWith('\\\\');
}

/** Parse one short volume spec (positions and paths are the caller's business). */
export function parseVolumeSpec(spec: string, onIgnoredOption: (opt: string) => void = () => {}): Mapping {
  if (spec === '') throw new VolumeSyntax('the volume is empty');
  const parts = splitSpec(spec);
  if (parts.length > 3) throw new VolumeSyntax('it has too many colons');
  if (parts.some((p) => p === '')) throw new VolumeSyntax('it has an empty section between colons');
  if (parts.length === 1) return { type: 'volume', target: parts[0]!, volume: {} };

  const [source, target, options] = parts as [string, string, string | undefined];
  let readOnly = false;
  const bind: Mapping = {};
  let volume: Mapping | undefined;
  for (const opt of options === undefined ? [] : options.split(',')) {
    if (opt === 'ro') readOnly = true;
    else if (opt === 'rw') readOnly = false;
    else if (opt === 'nocopy') volume = { nocopy: true };
    else if (opt === 'z' || opt === 'Z') bind.selinux = opt;
    else if (PROPAGATIONS.has(opt)) bind.propagation = opt;
    else if (CONSISTENCY.has(opt)) onIgnoredOption(opt);
    else throw new VolumeSyntax(`"${opt}" is not a volume mode`);
  }
  const hostPath = isHostPath(source);
  const out: Mapping = { type: hostPath ? 'bind' : 'volume', source, target };
  if (readOnly) out.read_only = true;
  // Short syntax binds create a missing host path, as docker-compose v1 did.
  if (hostPath) out.bind = reorder({ ...bind, create_host_path: true }, BIND_KEYS);
  else if (Object.keys(bind).length) out.bind = bind;
  if (volume || !hostPath) out.volume = volume ?? {};
  return out;
}

function checkTarget(m: Mapping, site: Site, i: number): void {
  const t = m.target;
  if (typeof t !== 'string') return;
  if (unresolved(site, t)) return;
  if (t === '') throw valueError(site, 'the volume has an empty target', 'give the path inside the container, e.g. /data', i);
  m.target = cleanTarget(t);
  if (m.type !== 'npipe' && !isAbsoluteTarget(t)) {
    throw valueError(site, `the volume target "${t}" is not an absolute path`, 'give the path inside the container from /, e.g. /data', i);
  }
}

function completeLong(m: Mapping, site: Site, i: number): Mapping {
  if (m.type === 'bind') {
    if (typeof m.source !== 'string' || m.source === '') {
      throw valueError(site, 'a bind mount needs a source', 'add `source:` with the host path, e.g. ./data', i);
    }
    m.source = absolutePath(m.source, site.ctx);
  }
  if (isMapping(m.bind)) {
    if (m.bind.create_host_path === undefined) m.bind.create_host_path = true;
    reorder(m.bind, BIND_KEYS);
  }
  checkTarget(m, site, i);
  return reorder(m, VOLUME_KEYS);
}

function fromShort(spec: string, site: Site, i: number): Mapping | string {
  let m: Mapping;
  try {
    m = parseVolumeSpec(spec, (opt) => warnAt(site, `volume option "${opt}" has no effect and is ignored`, i));
  } catch (e) {
    if (!(e instanceof VolumeSyntax)) throw e;
    if (unresolved(site, spec)) return spec;
    throw valueError(site, `invalid volume "${spec}": ${e.message}`, HINT, i);
  }
  if (m.type === 'bind') m.source = absolutePath(m.source as string, site.ctx);
  checkTarget(m, site, i);
  return m;
}

// One entry stays one entry: rewritten in place, so each keeps its position.
export const volumes: Rule = (value, site) => {
  if (!Array.isArray(value)) return value;
  for (let i = 0; i < value.length; i++) {
    const item = value[i]!;
    if (typeof item === 'string') value[i] = fromShort(item, site, i);
    else if (isMapping(item)) completeLong(item, site, i);
  }
  return value;
};
