import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ImageStore } from '../../../src/engine/images/image-store.js';
import { Snapshots } from '../../../src/engine/images/snapshots.js';
import { tarBuffer } from '../../../src/engine/images/tar-writer.js';
import { assertRoot, busyboxRootfsTar, mountPoints, tempDir } from './fixtures.js';

describe('engine/images: overlay snapshots', () => {
  let dir: string;
  let store: ImageStore;
  let snaps: Snapshots;
  before(() => assertRoot());
  beforeEach(async () => {
    dir = tempDir('snap');
    store = new ImageStore(join(dir, 'images'));
    await store.init();
    snaps = new Snapshots(join(dir, 'snapshots'));
  });
  afterEach(async () => {
    for (const s of snaps.list()) await snaps.remove(s.id);
    for (const m of mountPoints()) if (m.startsWith(dir)) execFileSync('umount', ['-l', m]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Layer 1: busybox + files; layer 2 deletes /etc/remove-me and makes /data opaque. */
  async function twoLayerImage() {
    const base = await busyboxRootfsTar();
    const extra = await tarBuffer([
      { path: 'etc/remove-me', data: 'old' },
      { path: 'data/', type: 'Directory' },
      { path: 'data/old1', data: '1' },
      { path: 'data/sub/', type: 'Directory' },
      { path: 'data/sub/old2', data: '2' },
      { path: 'keep', data: 'kept' },
    ]);
    // Two tars concatenated are not one tar: make layer 1 from both member lists instead.
    const layer1 = Buffer.concat([base.subarray(0, base.length - 1024), extra]);
    const layer2 = await tarBuffer([
      { path: 'etc/', type: 'Directory' },
      { path: 'etc/.wh.remove-me', data: '' },
      { path: 'data/', type: 'Directory' },
      { path: 'data/.wh..wh..opq', data: '' },
      { path: 'data/new', data: 'from layer 2' },
    ]);
    return store.ingest(async (add) => {
      const l1 = await add(Readable.from([layer1]));
      const l2 = await add(Readable.from([layer2]));
      const config = {
        architecture: 'amd64',
        os: 'linux',
        created: new Date().toISOString(),
        config: { Cmd: ['sh'] },
        rootfs: { type: 'layers', diff_ids: [l1.diffId, l2.diffId] },
        history: [{ created_by: 'layer 1' }, { created_by: 'layer 2' }],
      };
      return store.addImage(Buffer.from(JSON.stringify(config)), { repoTags: ['two:layers'] });
    });
  }

  it('shows whiteouts and opaque dirs, and writes land in upper only', async () => {
    const img = await twoLayerImage();
    const lowers = store.layerDirs(img);
    assert.equal(lowers.length, 2);
    const h = store.history('two:layers');
    assert.deepEqual(h.map((r) => [r.Id, r.CreatedBy]), [[img.id, 'layer 2'], ['<missing>', 'layer 1']]);
    assert.ok(h[1]!.Size > h[0]!.Size);
    const { rootfs } = await snaps.prepare('c1', lowers);
    assert.ok(snaps.isMounted('c1'));
    assert.ok(mountPoints().includes(rootfs));
    assert.ok(!existsSync(join(rootfs, 'etc/remove-me')), 'whiteout hides the file');
    assert.ok(existsSync(join(rootfs, 'etc/passwd')));
    assert.deepEqual(readdirSync(join(rootfs, 'data')), ['new'], 'opaque dir shows only layer 2');
    assert.equal(readFileSync(join(rootfs, 'keep'), 'utf8'), 'kept');
    assert.equal(execFileSync('chroot', [rootfs, '/bin/sh', '-c', 'cat /data/new; ls /data'], { encoding: 'utf8' }), 'from layer 2new\n');

    writeFileSync(join(rootfs, 'keep'), 'changed');
    writeFileSync(join(rootfs, 'created'), 'new');
    rmSync(join(rootfs, 'etc/passwd'));
    assert.equal(readFileSync(join(snaps.upperDir('c1'), 'keep'), 'utf8'), 'changed');
    assert.equal(readFileSync(join(snaps.upperDir('c1'), 'created'), 'utf8'), 'new');
    assert.equal(readFileSync(join(lowers[0]!, 'keep'), 'utf8'), 'kept', 'the layer is untouched');
    assert.ok(existsSync(join(lowers[0]!, 'etc/passwd')));
    assert.ok(!existsSync(join(lowers[1]!, 'created')));

    // A second container on the same image sees none of c1's changes.
    const other = await snaps.prepare('c2', lowers);
    assert.equal(readFileSync(join(other.rootfs, 'keep'), 'utf8'), 'kept');
    assert.deepEqual(snaps.list().map((s) => [s.id, s.mounted]).sort(), [['c1', true], ['c2', true]]);

    await snaps.unmount('c1');
    assert.ok(!snaps.isMounted('c1'));
    assert.equal(readFileSync(join(snaps.upperDir('c1'), 'keep'), 'utf8'), 'changed', 'unmount keeps the changes');
    await snaps.remove('c1');
    await snaps.remove('c2');
    assert.ok(!mountPoints().some((m) => m.startsWith(dir)), 'no mount left behind');
    assert.deepEqual(snaps.list(), []);
  });

  it('lists a snapshot whose removal was cut short after its upper dir went, so a sweep finishes it', async () => {
    await snaps.prepare('half', []);
    await snaps.unmount('half');
    rmSync(snaps.upperDir('half'), { recursive: true });
    assert.deepEqual(snaps.list().map((s) => s.id), ['half']);
    await snaps.remove('half');
    assert.deepEqual(snaps.list(), []);
  });

  it('mounts an image without layers on an empty lower dir', async () => {
    const { rootfs } = await snaps.prepare('empty', []);
    assert.deepEqual(readdirSync(rootfs), []);
    writeFileSync(join(rootfs, 'x'), 'x');
    await snaps.remove('empty');
    assert.ok(!mountPoints().some((m) => m.startsWith(dir)));
  });

  it('mounts more layers than fit in one mount option page', async () => {
    const lowers: string[] = [];
    for (let i = 0; i < 80; i++) {
      const d = join(dir, 'fake-layers', `${i.toString().padStart(2, '0')}-${'x'.repeat(60)}`, 'diff');
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'which'), String(i));
      writeFileSync(join(d, `only-${i}`), '');
      lowers.push(d);
    }
    assert.ok(lowers.join(':').length > 4096);
    const { rootfs } = await snaps.prepare('deep', lowers);
    assert.equal(readFileSync(join(rootfs, 'which'), 'utf8'), '79', 'the last layer is on top');
    assert.equal(readdirSync(rootfs).filter((n) => n.startsWith('only-')).length, 80);
    await snaps.remove('deep');
    assert.ok(!mountPoints().some((m) => m.startsWith(dir)));
  });

  it('reports mount failures with the command and its stderr', async () => {
    await assert.rejects(snaps.prepare('bad', [join(dir, 'does-not-exist')]), /mount -t overlay.*:/);
    await snaps.remove('bad');
  });
});
