import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

// Reads the few files the spec needs from an image's root filesystem. The
// rootfs is untrusted: /etc/passwd may be a symlink aimed at the host's, so
// every link is resolved as if rootfsPath were `/`.

const MAX_LINKS = 40;

/** The host path that `path` names inside the rootfs, never outside it. */
export async function resolveInRootfs(rootfsPath: string, path: string): Promise<string> {
  const pending = path.split('/').filter((p) => p !== '' && p !== '.');
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const hostPath = join(rootfsPath, ...resolved, part);
    const stat = await lstat(hostPath).catch(() => undefined);
    if (!stat?.isSymbolicLink()) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_LINKS) throw new Error(`too many levels of symbolic links resolving ${path} in ${rootfsPath}`);
    const target = await readlink(hostPath);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return join(rootfsPath, ...resolved);
}

/** A file's text from inside the rootfs, or undefined when the image has none. */
export async function readRootfsFile(rootfsPath: string, path: string): Promise<string | undefined> {
  const hostPath = await resolveInRootfs(rootfsPath, path);
  try {
    return await readFile(hostPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

export interface UserDatabase {
  passwd: string | undefined;
  group: string | undefined;
}

export async function readUserDatabase(rootfsPath: string): Promise<UserDatabase> {
  const [passwd, group] = await Promise.all([
    readRootfsFile(rootfsPath, '/etc/passwd'),
    readRootfsFile(rootfsPath, '/etc/group'),
  ]);
  return { passwd, group };
}
