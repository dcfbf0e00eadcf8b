// What the engine needs from the host, checked once at start, with one clear
// message per missing thing and how to fix it.

import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface HostFacts {
  cgroup: 'v1' | 'v2' | 'hybrid';
}

export function preflight(): { facts: HostFacts; problems: string[] } {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) {
    problems.push('the engine must run as root (rootless mode is not built yet): run it with sudo, or as root');
  }
  if (!hasOverlay()) {
    problems.push('the kernel has no overlay filesystem: load it with `modprobe overlay` (Debian: part of the standard kernel)');
  }
  const v2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
  const v1 = existsSync('/sys/fs/cgroup/memory') || existsSync('/sys/fs/cgroup/cpu');
  if (!v1 && !v2) problems.push('no cgroup hierarchy is mounted at /sys/fs/cgroup: mount cgroup v2 (`mount -t cgroup2 none /sys/fs/cgroup`) or the v1 controllers');
  const cgroup = v2 ? 'v2' : existsSync('/sys/fs/cgroup/unified') ? 'hybrid' : 'v1';
  return { facts: { cgroup }, problems };
}

function hasOverlay(): boolean {
  try {
    if (/\toverlay$/m.test(readFileSync('/proc/filesystems', 'utf8'))) return true;
    execFileSync('modprobe', ['overlay'], { stdio: 'ignore' });
    return /\toverlay$/m.test(readFileSync('/proc/filesystems', 'utf8'));
  } catch {
    return false;
  }
}
