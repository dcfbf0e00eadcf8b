import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { loadArchive, saveArchive } from '../../../src/engine/images/docker-archive.js';
import { ImageStore } from '../../../src/engine/images/image-store.js';
import { importRootfs } from '../../../src/engine/images/import-image.js';
import { tarBuffer } from '../../../src/engine/images/tar-writer.js';
import { assertRoot, busyboxRootfsTar, tempDir } from './fixtures.js';

const docker = (args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

function dockerSave(ref: string): Readable {
  const child = spawn('docker', ['save', ref], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.on('exit', (code) => {
    if (code) child.stdout.destroy(new Error(`docker save ${ref} exited ${code}`));
  });
  return child.stdout;
}

function dockerLoad(archive: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('docker', ['load'], (err, stdout, stderr) => (err ? reject(new Error(`docker load: ${stderr}`)) : resolve(stdout)));
    archive.on('error', reject);
    archive.pipe(child.stdin!);
  });
}

async function members(archive: Readable): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const parser = new Parser({ onReadEntry: (e: ReadEntry) => void e.concat().then((b) => out.set(e.path, b)) });
  await new Promise<void>((resolve, reject) => {
    archive.on('error', reject);
    parser.on('end', () => resolve());
    archive.pipe(parser as unknown as NodeJS.WritableStream);
  });
  return out;
}

describe('engine/images: docker save / load archives', function () {
  this.timeout(60_000);
  let dir: string;
  let store: ImageStore;
  const dockerTags: string[] = [];
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  before(() => {
    assertRoot();
    assert.match(docker(['image', 'inspect', 'busybox:latest', '--format', '{{.Id}}']), /^sha256:/, 'dockerd needs a local busybox:latest');
  });
  beforeEach(async () => {
    dir = tempDir('archive');
    store = new ImageStore(join(dir, 'images'));
    await store.init();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  after(() => {
    for (const t of dockerTags) execFileSync('docker', ['rmi', t], { stdio: 'ignore' });
  });

  it("loads dockerd's busybox:latest with the same id and diff ids", async () => {
    const want = JSON.parse(docker(['image', 'inspect', 'busybox:latest']))[0];
    const r = await loadArchive(store, dockerSave('busybox:latest'));
    assert.deepEqual(r.loaded, ['busybox:latest']);
    const img = store.resolve('busybox');
    assert.equal(img.id, want.Id);
    assert.deepEqual(img.config.rootfs.diff_ids, want.RootFS.Layers);
    const j = store.inspectJson('busybox:latest') as any;
    assert.deepEqual(j.Config.Cmd, want.Config.Cmd);
    assert.equal(j.Size, want.Size);
    assert.equal(j.Architecture, want.Architecture);
  });

  it('saves archives that dockerd loads, and that load back here (docker-archive and OCI paths)', async () => {
    await loadArchive(store, dockerSave('busybox:latest'));
    const want = store.resolve('busybox');
    const tag = `gantry-test/roundtrip:${suffix}`;
    store.tag('busybox', tag);
    dockerTags.push(tag);
    const out = await dockerLoad(saveArchive(store, [tag]));
    assert.match(out, new RegExp(`Loaded image: ${tag}`));
    assert.equal(docker(['image', 'inspect', tag, '--format', '{{.Id}}']), want.id);

    const files = await members(saveArchive(store, [tag]));
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    assert.deepEqual(manifest[0].RepoTags, [tag]);
    const index = JSON.parse(files.get('index.json')!.toString());
    assert.equal(index.manifests[0].annotations['io.containerd.image.name'], `docker.io/${tag}`);

    // Back into an empty store through each format.
    for (const drop of ['index.json', 'manifest.json']) {
      const other = new ImageStore(join(dir, `again-${drop}`));
      await other.init();
      const kept = [...files].filter(([p]) => p !== drop).map(([path, data]) => ({ path, data, type: path.endsWith('/') ? ('Directory' as const) : ('File' as const) }));
      const r = await loadArchive(other, Readable.from([await tarBuffer(kept.map((k) => (k.type === 'Directory' ? { path: k.path, type: k.type } : k)))]));
      assert.deepEqual(r.loaded, [tag], `without ${drop}`);
      assert.equal(other.resolve(tag).id, want.id);
    }
  });

  it('an imported image (gzip layer) runs in dockerd after save and load', async () => {
    const tag = `gantry-test/imported:${suffix}`;
    await importRootfs(store, Readable.from([gzipSync(await busyboxRootfsTar())]), { repoTag: tag, changes: ['CMD ["sh", "-c", "echo hello from $WHO"]', 'ENV WHO=gantry'] });
    dockerTags.push(tag);
    await dockerLoad(saveArchive(store, [tag]));
    assert.equal(docker(['run', '--rm', tag]), 'hello from gantry');
  });

  it('refuses archives whose layers do not match the config, or that point outside', async () => {
    const layer = await tarBuffer([{ path: 'x', data: 'x' }]);
    const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] } });
    const bad = await tarBuffer([
      { path: 'layer.tar', data: layer },
      { path: 'config.json', data: config },
      { path: 'manifest.json', data: JSON.stringify([{ Config: 'config.json', RepoTags: ['bad:1'], Layers: ['layer.tar'] }]) },
    ]);
    await assert.rejects(loadArchive(store, Readable.from([bad])), /do not match its config/);
    const escape = await tarBuffer([
      { path: 'config.json', type: 'SymbolicLink', linkpath: '/etc/passwd' },
      { path: 'manifest.json', data: JSON.stringify([{ Config: 'config.json', RepoTags: ['bad:1'], Layers: [] }]) },
    ]);
    await assert.rejects(loadArchive(store, Readable.from([escape])), /outside the archive/);
    assert.deepEqual(store.list(), []);
  });
});
