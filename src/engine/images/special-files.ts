// Filesystem objects Node cannot make: device nodes, fifos, overlay
// whiteouts (char device 0/0) and the opaque-directory xattr. They are made
// by one python3 process per layer (python3 has os.mknod and os.setxattr;
// Node has neither). Each path is walked from the layer root with
// O_NOFOLLOW directory fds, so a symlink planted by the layer can never
// redirect the write outside it.

import { execFile } from 'node:child_process';

export const PYTHON = process.env.GANTRY_PYTHON3 ?? '/usr/bin/python3';

export type SpecialOp =
  | { op: 'node'; path: string[]; kind: 'char' | 'block' | 'fifo'; mode: number; major: number; minor: number; uid: number; gid: number; mtime: number }
  | { op: 'opaque'; path: string[] };

const SCRIPT = String.raw`
import json, os, stat, sys
root = sys.argv[1]
ops = json.load(sys.stdin)
os.umask(0)
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
def walk(parts):
    fd = os.open(root, DIR_FLAGS)
    for p in parts:
        nfd = os.open(p, DIR_FLAGS, dir_fd=fd)
        os.close(fd)
        fd = nfd
    return fd
for o in ops:
    if o['op'] == 'opaque':
        fd = walk(o['path'])
        try:
            os.setxattr(fd, 'trusted.overlay.opaque', b'y')
        finally:
            os.close(fd)
        continue
    parent = walk(o['path'][:-1])
    name = o['path'][-1]
    try:
        try:
            st = os.lstat(name, dir_fd=parent)
            if stat.S_ISDIR(st.st_mode):
                raise SystemExit('refusing to replace directory %s with a device node' % '/'.join(o['path']))
            os.unlink(name, dir_fd=parent)
        except FileNotFoundError:
            pass
        kind = {'char': stat.S_IFCHR, 'block': stat.S_IFBLK, 'fifo': stat.S_IFIFO}[o['kind']]
        os.mknod(name, kind | (o['mode'] & 0o7777), os.makedev(o['major'], o['minor']), dir_fd=parent)
        os.chown(name, o['uid'], o['gid'], dir_fd=parent, follow_symlinks=False)
        os.utime(name, ns=(o['mtime'], o['mtime']), dir_fd=parent, follow_symlinks=False)
    finally:
        os.close(parent)
`;

/** Apply the ops under root; the error names python3 when it is missing. */
export function applySpecialOps(root: string, ops: SpecialOp[]): Promise<void> {
  if (ops.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ['-c', SCRIPT, root], { maxBuffer: 1 << 20 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new Error(
          missing
            ? `making device nodes, whiteouts and opaque dirs needs python3 at ${PYTHON} (Debian: apt-get install python3; or set GANTRY_PYTHON3)`
            : `making special files in ${root} failed: ${stderr.trim() || err.message}`,
        ),
      );
    });
    child.stdin!.on('error', () => {
      // The exit callback reports the failure; EPIPE here would only repeat it.
    });
    child.stdin!.end(JSON.stringify(ops));
  });
}
