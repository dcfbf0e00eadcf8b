// Resolving a path inside a container's root filesystem from the host
// without ever leaving it: symlinks are followed as the container would see
// them (absolute targets start again at the container's root, `..` stops at
// it). The archive endpoints read and write only through this.

import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { badRequest } from '../api/api-error.js';

/** Host path for `path` inside `root`; the last component is followed only when `followLast`. */
export function resolveInRoot(root: string, path: string, followLast = true): string {
  const pending = path.split('/').filter(Boolean);
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = join(root, ...done, part);
    let isLink = false;
    try {
      isLink = lstatSync(host).isSymbolicLink();
    } catch {
      // Does not exist (yet): what follows cannot be a link either.
    }
    if (isLink && (pending.length > 0 || followLast)) {
      if (++hops > 40) throw badRequest(`too many levels of symbolic links: ${path}`);
      const target = readlinkSync(host);
      if (target.startsWith('/')) done.length = 0;
      pending.unshift(...target.split('/').filter(Boolean));
      continue;
    }
    done.push(part);
  }
  return join(root, ...done);
}
