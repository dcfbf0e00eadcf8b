// What a compose cycle may leave behind on the host's network and mount
// tables: links, network namespaces, mounts and iptables rules, as sets of
// normalized lines. The host is shared (dockerd, other engines, CI), so a
// difference only counts when it is not plainly someone else's: lines that
// name another engine's bridge, veth, namespace or data root, or dockerd's.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface HostNetworkState {
  links: string[];
  netns: string[];
  mounts: string[];
  iptables: string[];
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

export function snapshotHost(): HostNetworkState {
  const links = run('ip', ['-o', 'link'])
    .split('\n')
    .filter(Boolean)
    // The ifindex and the link's peer namespace id are renumbered by others' churn.
    .map((l) => l.replace(/^\d+:\s*/, '').replace(/ link-netns(id)? \S+/, ''));
  const netns = run('ip', ['netns', 'list'])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[0]!);
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    // Mount and parent ids change as others mount; what is mounted where does not.
    .map((l) => {
      const f = l.split(' ');
      const sep = f.indexOf('-');
      return `${f[4]} ${f[sep + 1]} ${f[sep + 2]}`;
    });
  const iptables = run('iptables-save', [])
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, ''));
  return { links, netns, mounts, iptables };
}

/** Host-side names a container on a network shows up under (sandbox.ts's scheme). */
export function namesOf(containerIds: string[], networkIds: string[]): string[] {
  const names = networkIds.map((n) => `gt-${n.slice(0, 12)}`);
  for (const c of containerIds) {
    names.push(`gantry-${c.slice(0, 12)}`);
    for (const n of networkIds) {
      const h = createHash('sha256').update(`${c}/${n}`).digest('hex').slice(0, 12);
      names.push(`gtv${h}`, `gtp${h}`);
    }
  }
  return names;
}

const GANTRY_NAME = /\b(?:gt-|gtv|gtp|gantry-)[0-9a-f]{12}\b/g;
const DOCKER_THING = /\bdocker0\b|\bbr-[0-9a-f]{12}\b|\bveth[0-9a-f]{7}\b|\bDOCKER\b|DOCKER-|\/var\/lib\/docker|\/run\/docker|\/var\/run\/docker|\/containerd/;
const ENGINE_ROOT = /\/(?:tmp|run)\/gantry-[a-z-]*?([0-9a-f]{6,})/g;

/**
 * Lines in one state and not the other, leaving out those that belong to
 * someone else: `mine` are this engine's host names, `roots` its test id.
 */
export function leftovers(before: HostNetworkState, after: HostNetworkState, mine: string[], engineId: string): string[] {
  const own = new Set(mine);
  const foreign = (line: string): boolean => {
    const names = line.match(GANTRY_NAME) ?? [];
    if (names.some((n) => own.has(n))) return false;
    if (names.length > 0) return true;
    const roots = [...line.matchAll(ENGINE_ROOT)].map((m) => m[1]);
    if (roots.includes(engineId)) return false;
    if (roots.length > 0) return true;
    return DOCKER_THING.test(line);
  };
  const out: string[] = [];
  for (const key of ['links', 'netns', 'mounts', 'iptables'] as const) {
    const b = new Set(before[key]);
    const a = new Set(after[key]);
    for (const l of after[key]) if (!b.has(l) && !foreign(l)) out.push(`${key} + ${l}`);
    for (const l of before[key]) if (!a.has(l) && !foreign(l)) out.push(`${key} - ${l}`);
  }
  return out;
}
