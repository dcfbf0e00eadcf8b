// Test fixtures made from the host: a busybox root filesystem tar from the
// static /bin/busybox (Debian busybox-static), temp dirs, mount checks.

import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tarBuffer, type TarMember } from '../../../src/engine/images/tar-writer.js';
import { scratchDir } from '../../scratch-dir.js';

export const BUSYBOX = '/bin/busybox';

export function tempDir(prefix: string): string {
  return scratchDir(`gantry-images-${prefix}-`);
}

export function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[4]!.replace(/\\040/g, ' '));
}

export function assertRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('these tests make device nodes and overlay mounts: run them as root');
}

/** A minimal busybox rootfs: the static binary plus applet symlinks. */
export async function busyboxRootfsTar(): Promise<Buffer> {
  const size = statSync(BUSYBOX).size;
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const m = new Date('2024-01-02T03:04:05Z');
  const members: TarMember[] = [
    { path: 'bin/', type: 'Directory', mtime: m },
    { path: 'etc/', type: 'Directory', mtime: m },
    { path: 'tmp/', type: 'Directory', mode: 0o1777, mtime: m },
    { path: 'root/', type: 'Directory', mode: 0o700, mtime: m },
    { path: 'bin/busybox', mode: 0o755, file: { path: BUSYBOX, size }, mtime: m },
    { path: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n', mtime: m },
    { path: 'etc/group', data: 'root:x:0:\nnogroup:x:65534:\n', mtime: m },
  ];
  for (const a of applets) if (a !== 'busybox') members.push({ path: `bin/${a}`, type: 'SymbolicLink', linkpath: 'busybox', mtime: m });
  return tarBuffer(members);
}
