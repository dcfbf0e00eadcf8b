import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { ApiError } from '../../../src/engine/api/api-error.js';
import { ImageStore } from '../../../src/engine/images/image-store.js';
import { importRootfs } from '../../../src/engine/images/import-image.js';
import { tarBuffer } from '../../../src/engine/images/tar-writer.js';
import { assertRoot, busyboxRootfsTar, tempDir } from './fixtures.js';

const apiError = (status: number, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof ApiError, String(e));
  assert.equal(e.status, status);
  assert.match(e.message, re);
  return true;
};

describe('engine/images: image store and import', () => {
  let dir: string;
  let store: ImageStore;
  let tar: Buffer;
  let inUse: string | undefined;
  before(async () => {
    assertRoot();
    tar = await busyboxRootfsTar();
  });
  beforeEach(async () => {
    dir = tempDir('store');
    inUse = undefined;
    store = new ImageStore(join(dir, 'images'), { isInUse: () => inUse });
    await store.init();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a rootfs with changes and resolves it by every reference form', async () => {
    const img = await importRootfs(store, Readable.from([tar]), {
      repoTag: 'busybox:latest',
      changes: ['CMD ["sh"]', 'ENV A=b C="d e"', 'WORKDIR /tmp', 'EXPOSE 8080', 'LABEL x=y', 'USER root', 'ENTRYPOINT ["/bin/busybox"]'],
    });
    assert.match(img.id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(img.id.slice(7), readdirSync(join(dir, 'images/blobs/sha256')).find((f) => f === img.id.slice(7)));
    const hex = img.id.slice(7);
    for (const ref of ['busybox', 'busybox:latest', 'docker.io/library/busybox:latest', 'library/busybox', img.id, hex, hex.slice(0, 4), hex.slice(0, 12), `sha256:${hex.slice(0, 12)}`]) {
      assert.equal(store.resolve(ref).id, img.id, ref);
    }
    // Digest references come from registries; attach one the way a pull would.
    const digest = `sha256:${'ab'.repeat(32)}`;
    store.addImage(readFileSync(store.blobPath(img.id)), { repoDigests: [`busybox@${digest}`] });
    assert.equal(store.resolve(`busybox@${digest}`).id, img.id);
    assert.equal(store.resolve(`docker.io/library/busybox@${digest}`).id, img.id);
    for (const ref of ['busybox:other', 'nothere', 'ffffffff', `busybox@sha256:${'cd'.repeat(32)}`]) {
      assert.throws(() => store.resolve(ref), apiError(404, /No such image/), ref);
    }

    const j = store.inspectJson('busybox') as any;
    assert.equal(j.Id, img.id);
    assert.deepEqual(j.RepoTags, ['busybox:latest']);
    assert.deepEqual(j.RepoDigests, [`busybox@${digest}`]);
    assert.deepEqual(j.Config.Cmd, ['sh']);
    assert.deepEqual(j.Config.Entrypoint, ['/bin/busybox']);
    assert.deepEqual(j.Config.Env, ['A=b', 'C=d e']);
    assert.equal(j.Config.WorkingDir, '/tmp');
    assert.deepEqual(j.Config.ExposedPorts, { '8080/tcp': {} });
    assert.deepEqual(j.Config.Labels, { x: 'y' });
    assert.equal(j.Os, 'linux');
    assert.equal(j.Comment, 'Imported from -');
    assert.equal(j.Architecture, process.arch === 'x64' ? 'amd64' : process.arch);
    assert.equal(j.RootFS.Type, 'layers');
    assert.equal(j.RootFS.Layers.length, 1);
    assert.ok(j.Size > 100_000);
    assert.ok(!Number.isNaN(Date.parse(j.Created)));
    const s = store.summaryJson(store.list()[0]!) as any;
    assert.deepEqual(Object.keys(s).sort(), ['Containers', 'Created', 'Id', 'Labels', 'ParentId', 'RepoDigests', 'RepoTags', 'SharedSize', 'Size', 'VirtualSize']);
    assert.equal(typeof s.Created, 'number');
    const h = store.history('busybox');
    assert.equal(h.length, 1);
    assert.equal(h[0]!.Id, img.id);
    assert.equal(h[0]!.Comment, 'Imported from -');
    assert.equal(h[0]!.Size, j.Size);
    assert.deepEqual(h[0]!.Tags, ['busybox:latest']);

    // The layer dir is a usable root filesystem.
    const [lower] = store.layerDirs(img);
    assert.ok(existsSync(join(lower!, 'bin/busybox')));
  });

  it('rejects a bad change instruction with 400 before reading the tar', async () => {
    await assert.rejects(importRootfs(store, Readable.from([tar]), { changes: ['RUN rm -rf /'] }), apiError(400, /RUN is not a valid change command/));
  });

  it('tags, untags and removes, keeping shared layers until the last image goes', async () => {
    const a = await importRootfs(store, Readable.from([tar]), { repoTag: 'busybox:latest', changes: ['CMD ["sh"]'] });
    // Same content gzip'ed: another blob, the same diff id, so one layer dir.
    const b = await importRootfs(store, Readable.from([gzipSync(tar)]), { repoTag: 'shell:1', changes: ['CMD ["ash"]'] });
    assert.notEqual(a.id, b.id);
    assert.deepEqual(a.config.rootfs.diff_ids, b.config.rootfs.diff_ids);
    assert.equal(readdirSync(join(dir, 'images/layers')).length, 1);
    const layerDir = store.layerDirs(a)[0]!;

    store.tag('busybox', 'localhost:5000/mine/bb', 'v1');
    assert.equal(store.resolve('localhost:5000/mine/bb:v1').id, a.id);
    assert.deepEqual(store.remove('localhost:5000/mine/bb:v1'), [{ Untagged: 'localhost:5000/mine/bb:v1' }]);
    assert.equal(store.get(a.id)?.repoTags.length, 1);

    // A tag moves: a's tag now names b, a is left dangling.
    store.tag(b.id, 'busybox');
    assert.equal(store.resolve('busybox').id, b.id);
    assert.deepEqual(store.get(a.id)?.repoTags, []);
    assert.deepEqual(store.remove(a.id.slice(7, 19)), [{ Deleted: a.id }]);
    assert.ok(existsSync(layerDir), 'b still uses the layer');

    assert.throws(() => store.remove(b.id), apiError(409, /referenced in multiple repositories/));
    inUse = 'c0ffee'.repeat(10) + 'abcd';
    // Another tag remains: untagging is fine even while a container uses the image.
    assert.deepEqual(store.remove('shell:1'), [{ Untagged: 'shell:1' }]);
    assert.deepEqual(store.list().length, 1);
    assert.throws(() => store.remove('busybox'), apiError(409, /unable to remove repository reference "busybox" \(must force\) - container c0ffeec0ffee is using its referenced image/));
    assert.deepEqual(store.remove('busybox', { force: true }), [{ Untagged: 'busybox:latest' }]);
    assert.ok(store.get(b.id), 'a forced removal keeps an image a container uses');
    inUse = undefined;
    assert.deepEqual(store.remove(b.id), [{ Deleted: b.id }]);
    assert.ok(!existsSync(layerDir));
    assert.deepEqual(readdirSync(join(dir, 'images/layers')), []);
    assert.deepEqual(readdirSync(join(dir, 'images/blobs/sha256')), []);
  });

  it('keeps a layer an import in flight holds even when its last image is removed', async () => {
    const a = await importRootfs(store, Readable.from([tar]), { repoTag: 'busybox:latest' });
    const layerDir = store.layerDirs(a)[0]!;
    const b = await store.ingest(async (add) => {
      const layer = await add(Readable.from([gzipSync(tar)]));
      assert.deepEqual(store.remove('busybox'), [{ Untagged: 'busybox:latest' }, { Deleted: a.id }]);
      assert.ok(existsSync(layerDir), 'pinned by the import');
      const config = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.diffId] } };
      return store.addImage(Buffer.from(JSON.stringify(config)), { repoTags: ['again'] });
    });
    assert.deepEqual(store.layerDirs(b), [layerDir]);
    assert.ok(existsSync(join(layerDir, 'bin/busybox')));
    // An import that fails releases its layers.
    await assert.rejects(
      store.ingest(async (add) => {
        await add(Readable.from([await tarBuffer([{ path: 'orphan', data: 'x' }])]));
        throw new Error('import failed');
      }),
      /import failed/,
    );
    assert.equal(readdirSync(join(dir, 'images/layers')).length, 1);
  });

  it('survives a restart: the index is reread', async () => {
    const a = await importRootfs(store, Readable.from([tar]), { repoTag: 'busybox:latest' });
    const again = new ImageStore(join(dir, 'images'));
    await again.init();
    assert.equal(again.resolve('busybox').id, a.id);
    assert.deepEqual(again.layerDirs(again.resolve('busybox')), store.layerDirs(a));
    assert.ok(existsSync(again.layerDirs(a)[0]!));
  });

  it('cleans up after a crash: temp files and unindexed layer dirs go, a damaged index is reported', async () => {
    const a = await importRootfs(store, Readable.from([tar]), { repoTag: 'busybox:latest' });
    writeFileSync(join(dir, 'images/tmp/half-written'), 'x');
    mkdirSync(join(dir, 'images/layers', 'f'.repeat(64), 'diff'), { recursive: true });
    const again = new ImageStore(join(dir, 'images'));
    await again.init();
    assert.deepEqual(readdirSync(join(dir, 'images/tmp')), []);
    assert.deepEqual(readdirSync(join(dir, 'images/layers')), [a.config.rootfs.diff_ids[0]!.slice(7)]);
    writeFileSync(join(dir, 'images/repositories.json'), '{"images": ');
    await assert.rejects(new ImageStore(join(dir, 'images')).init(), /repositories.json is unreadable/);
  });
});
