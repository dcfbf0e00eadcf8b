// A container's overlay upper directory as a docker layer tar: what the
// container added or changed, plus docker's whiteouts for what it removed.
// overlayfs records a deletion as a char device 0/0 (→ `.wh.<name>`) and a
// directory replaced wholesale as the xattr trusted.overlay.opaque=y
// (→ `.wh..wh..opq` inside it). Node cannot read xattrs, so python3 (already
// needed for the reverse direction, special-files.ts) lists opaque dirs.

import { execFile } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PYTHON } from './special-files.js';
import { tarStream, type TarMember } from './tar-writer.js';
import { statMember, type InodeNames } from './tree-members.js';

const OPAQUE_SCRIPT = String.raw`
import os, sys, json
root = sys.argv[1]
out = []
for d, dirs, files in os.walk(root):
    for n in dirs:
        p = os.path.join(d, n)
        if os.path.islink(p):
            continue
        try:
            if os.getxattr(p, 'trusted.overlay.opaque', follow_symlinks=False) == b'y':
                out.append(os.path.relpath(p, root))
        except OSError:
            pass
print(json.dumps(out))
`;

/** Directories (relative to upper) that overlayfs marked opaque. */
export function opaqueDirs(upper: string): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, ['-c', OPAQUE_SCRIPT, upper], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`listing opaque directories of ${upper}: ${stderr.trim() || err.message}`));
      resolve(new Set(JSON.parse(stdout) as string[]));
    });
  });
}

/** The tar members of an upper dir, parents before children, names sorted for a stable order. */
export async function upperDirMembers(upper: string): Promise<TarMember[]> {
  const opaque = await opaqueDirs(upper);
  const members: TarMember[] = [];
  // Hard links inside the layer stay hard links: the first path seen carries the data.
  const seenInodes: InodeNames = new Map();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(upper, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const full = join(upper, path);
      const st = lstatSync(full);
      if (st.isCharacterDevice() && st.rdev === 0) {
        members.push({ path: rel ? `${rel}/.wh.${name}` : `.wh.${name}`, mode: 0o600, mtime: st.mtime });
        continue;
      }
      const m = statMember(full, path, st, seenInodes);
      if (m) members.push(m);
      if (st.isDirectory()) {
        if (opaque.has(path)) members.push({ path: `${path}/.wh..wh..opq`, mode: 0o600, mtime: st.mtime });
        walk(path);
      }
    }
  };
  walk('');
  return members;
}

/** The upper dir as an uncompressed layer tar stream. */
export async function upperDirTar(upper: string): Promise<Readable> {
  return tarStream(await upperDirMembers(upper));
}
