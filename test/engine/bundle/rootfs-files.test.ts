import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRootfsFile, readUserDatabase, resolveInRootfs } from '../../../src/engine/containers/bundle/rootfs-files.js';
import { writeBundle } from '../../../src/engine/containers/bundle/write-bundle.js';

describe('bundle: files in and around the rootfs', () => {
  let dir = '';
  let rootfs = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-rootfs-'));
    rootfs = join(dir, 'rootfs');
    await mkdir(join(rootfs, 'etc'), { recursive: true });
    await mkdir(join(rootfs, 'real'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads passwd and group, and reports their absence', async () => {
    await writeFile(join(rootfs, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\n');
    assert.deepEqual(await readUserDatabase(rootfs), { passwd: 'root:x:0:0::/root:/bin/sh\n', group: undefined });
  });

  it('keeps absolute and climbing symlinks inside the rootfs', async () => {
    await writeFile(join(rootfs, 'real/passwd'), 'inside\n');
    // Both links would reach the host's /etc/passwd if followed naively.
    await symlink('/etc/passwd', join(rootfs, 'real/abs'));
    await symlink('../../../../../../etc/passwd', join(rootfs, 'real/climb'));
    await symlink('/real/passwd', join(rootfs, 'etc/passwd'));
    assert.equal(await resolveInRootfs(rootfs, '/real/abs'), join(rootfs, 'real/passwd'));
    assert.equal(await resolveInRootfs(rootfs, '/real/climb'), join(rootfs, 'real/passwd'));
    assert.equal(await readRootfsFile(rootfs, '/real/climb'), 'inside\n');
  });

  it('stops on a symlink loop', async () => {
    await symlink('/etc/b', join(rootfs, 'etc/a'));
    await symlink('/etc/a', join(rootfs, 'etc/b'));
    await assert.rejects(readRootfsFile(rootfs, '/etc/a'), /too many levels of symbolic links/);
  });

  it('writes config.json readable by its owner only', async () => {
    const path = await writeBundle(join(dir, 'bundle'), { ociVersion: '1.0.2' } as never);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { ociVersion: '1.0.2' });
  });
});
