// A tar stream → files in a local directory, as `docker cp` unpacks what it
// copies out of a container: the archive's root renamed as the copy plan says,
// modes and times kept, owners kept only when asked (-a) and allowed (root),
// an existing directory never replaced by a file nor a file by a directory.
// No entry may land outside the directory, neither by `..` nor through a
// symbolic link the archive itself planted.

import { chmod, lchown, link, lstat, lutimes, mkdir, open, symlink, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../common/errors.js';
import { cleanPath, rebaseEntry, type CopyPlan } from './copy-plan.js';
import type { TarHeader } from './tar-format.js';
import { TarParser } from './tar-parse.js';

export interface ExtractOptions {
  /** Keep the archive's uid/gid (needs root). */
  preserveOwner?: boolean;
}

export async function extractTar(tar: AsyncIterable<Buffer> | Iterable<Buffer>, plan: CopyPlan, opts: ExtractOptions = {}): Promise<void> {
  const parser = new TarParser();
  const dirTimes: { path: string; mtime: number }[] = [];
  const safeDirs = new Set<string>([plan.dir]);
  let file: Awaited<ReturnType<typeof open>> | undefined;
  let current: { header: TarHeader; path: string } | undefined;

  const begin = async (h: TarHeader) => {
    const relative = entryPath(h.name, plan.rename);
    const path = relative === '' ? plan.dir : join(plan.dir, relative);
    if (relative !== '') await ensureParents(plan.dir, relative, safeDirs);
    const existing = await lstat(path).catch(() => undefined);
    if (existing) {
      if (existing.isDirectory() && h.type !== 'directory') throw refuse(`cannot overwrite directory ${path} with a non-directory`);
      if (!existing.isDirectory() && h.type === 'directory') throw refuse(`cannot overwrite non-directory ${path} with a directory`);
      if (!existing.isDirectory()) await unlink(path);
    }
    current = { header: h, path };
    switch (h.type) {
      case 'directory':
        if (!existing) await mkdir(path, { mode: 0o700 });
        safeDirs.add(path);
        break;
      case 'file':
        file = await open(path, 'w', 0o600);
        break;
      case 'symlink':
        await symlink(h.linkname, path);
        break;
      case 'hardlink': {
        const target = entryPath(h.linkname, plan.rename);
        if (target === '') throw refuse(`the archive links ${h.name} to the destination itself`);
        await link(join(plan.dir, target), path);
        break;
      }
      default:
        // Devices, pipes and the like are not recreated outside a container.
        current = undefined;
    }
  };

  const finish = async () => {
    if (file) {
      await file.close();
      file = undefined;
    }
    if (!current) return;
    const { header: h, path } = current;
    current = undefined;
    if (opts.preserveOwner) await lchown(path, h.uid, h.gid).catch(() => {});
    if (h.type === 'symlink') {
      await lutimes(path, h.mtime, h.mtime).catch(() => {});
      return;
    }
    if (h.type !== 'hardlink') await chmod(path, h.mode & 0o7777);
    if (h.type === 'directory') dirTimes.push({ path, mtime: h.mtime });
    else if (h.type !== 'hardlink') await utimes(path, h.mtime, h.mtime);
  };

  try {
    for await (const chunk of tar) {
      for (const e of parser.push(chunk)) {
        if (e.kind === 'entry') await begin(e.header);
        else if (e.kind === 'data') {
          if (file) await file.write(e.data);
        } else if (e.kind === 'end-entry') await finish();
      }
    }
    parser.finish();
  } catch (e) {
    if (e instanceof GantryError) throw e;
    throw new GantryError('file', `cannot unpack the copy into ${plan.dir}: ${(e as Error).message}`, { cause: e });
  } finally {
    await file?.close().catch(() => {});
  }
  // Writing into a directory changes its time: set directories' times last, deepest first.
  for (const d of dirTimes.reverse()) await utimes(d.path, d.mtime, d.mtime).catch(() => {});
}

/** The entry's path below the destination directory ('' for the directory itself); refuses `..` escapes. */
function entryPath(name: string, rename: CopyPlan['rename']): string {
  const cleaned = cleanPath(rebaseEntry(name, rename).replace(/^\/+/, ''));
  if (cleaned === '..' || cleaned.startsWith('../')) throw refuse(`the archive entry ${name} points outside the destination`);
  return cleaned === '.' ? '' : cleaned;
}

/** Creates missing parent directories, and refuses to go through a symbolic link. */
async function ensureParents(root: string, relative: string, safe: Set<string>): Promise<void> {
  const parts = relative.split('/');
  let dir = root;
  for (let i = 0; i < parts.length - 1; i++) {
    dir = join(dir, parts[i]!);
    if (safe.has(dir)) continue;
    const st = await lstat(dir).catch(() => undefined);
    if (!st) await mkdir(dir, { mode: 0o755 });
    else if (st.isSymbolicLink()) throw refuse(`refusing to unpack through the symbolic link ${dir}`);
    else if (!st.isDirectory()) throw refuse(`${dir} is not a directory`);
    safe.add(dir);
  }
}

function refuse(message: string): GantryError {
  return new GantryError('file', message, { hint: 'the archive from the container does not fit the destination; choose another destination path' });
}
