import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';

export type RuntimeName = 'runc' | 'crun';

export interface RuntimeInfo {
  name: RuntimeName;
  path: string;
  version: string;
  /** Why this runtime and not the preferred one, for `compose engine status`. */
  reason?: string;
}

const KNOWN: RuntimeName[] = ['crun', 'runc'];
// Runtimes live in sbin, which a non-login PATH may lack.
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];

/**
 * Picks the OCI runtime: `preferred` (a name or a path) when given, else crun,
 * else runc. crun refuses hybrid cgroup hosts (v1 controllers plus a v2
 * `unified` mount), so there it is skipped with a reason.
 */
export async function detectRuntime(preferred?: string, mountinfo?: string): Promise<RuntimeInfo> {
  const hybrid = isHybridCgroup(mountinfo ?? readMountinfo());
  if (preferred) return explicitRuntime(preferred, hybrid);

  const skipped: string[] = [];
  for (const name of KNOWN) {
    const path = findExecutable(name);
    if (!path) {
      skipped.push(`${name} is not installed`);
      continue;
    }
    if (name === 'crun' && hybrid) {
      skipped.push(HYBRID_REASON);
      continue;
    }
    const info: RuntimeInfo = { name, path, version: await runtimeVersion(path) };
    if (skipped.length) info.reason = skipped.join('; ');
    return info;
  }
  throw new Error(`no OCI runtime found (looked for crun and runc in ${searchDirs().join(', ')}): install one with apt-get install runc`);
}

const HYBRID_REASON = 'crun skipped: cgroups in hybrid mode (v1 controllers plus /sys/fs/cgroup/unified) are not supported by crun';

async function explicitRuntime(preferred: string, hybrid: boolean): Promise<RuntimeInfo> {
  const isPath = preferred.includes('/');
  const name = basename(preferred);
  if (name !== 'runc' && name !== 'crun') {
    throw new Error(`unknown OCI runtime "${preferred}": gantry drives runc or crun (apt-get install runc)`);
  }
  const path = isPath ? (isExecutable(preferred) ? preferred : undefined) : findExecutable(name);
  if (!path) {
    const where = isPath ? preferred : `PATH and ${EXTRA_DIRS.join(', ')}`;
    throw new Error(`OCI runtime ${name} not found (looked in ${where}): install it with apt-get install ${name}`);
  }
  if (name === 'crun' && hybrid) {
    throw new Error(`${HYBRID_REASON}; use --runtime runc (apt-get install runc)`);
  }
  return { name, path, version: await runtimeVersion(path) };
}

/** Hybrid: at least one cgroup v1 hierarchy and a cgroup2 mount side by side. */
export function isHybridCgroup(mountinfo: string): boolean {
  let v1 = false;
  let v2 = false;
  for (const line of mountinfo.split('\n')) {
    // Fields after " - " are: fstype source options.
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const fstype = line.slice(sep + 3).split(' ')[0];
    if (fstype === 'cgroup') v1 = true;
    else if (fstype === 'cgroup2') v2 = true;
  }
  return v1 && v2;
}

function readMountinfo(): string {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return '';
  }
}

function searchDirs(): string[] {
  const fromPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return [...new Set([...fromPath, ...EXTRA_DIRS])];
}

function findExecutable(name: string): string | undefined {
  for (const dir of searchDirs()) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First line of `--version`, e.g. "runc version 1.1.5+ds1" → "1.1.5+ds1". */
function runtimeVersion(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, ['--version'], { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${path} --version failed: ${stderr.trim() || err.message}`));
      const m = /version\s+(\S+)/.exec(stdout);
      resolve(m ? m[1]! : stdout.split('\n')[0]!.trim());
    });
  });
}
