import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { unpackLayer, UnsafeLayerError } from '../../../src/engine/images/layer-unpack.js';
import { tarBuffer, type TarMember } from '../../../src/engine/images/tar-writer.js';
import { assertRoot, busyboxRootfsTar, tempDir } from './fixtures.js';

describe('engine/images: layer unpacking', () => {
  let dir: string;
  beforeEach(() => {
    assertRoot();
    dir = tempDir('unpack');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('unpacks a gzip busybox rootfs with modes, owners, mtimes and symlinks', async () => {
    const dest = join(dir, 'diff');
    const tar = await busyboxRootfsTar();
    const r = await unpackLayer(Readable.from([gzipSync(tar)]), dest);
    assert.ok(r.size > 100_000);
    assert.equal(readlinkSync(join(dest, 'bin/sh')), 'busybox');
    const bb = lstatSync(join(dest, 'bin/busybox'));
    assert.equal(bb.mode & 0o7777, 0o755);
    assert.equal(bb.uid, 0);
    assert.equal(lstatSync(join(dest, 'tmp')).mode & 0o7777, 0o1777);
    assert.equal(lstatSync(join(dest, 'etc')).mtime.toISOString(), '2024-01-02T03:04:05.000Z');
    assert.equal(execFileSync(join(dest, 'bin/busybox'), ['echo', 'hi'], { encoding: 'utf8' }), 'hi\n');
  });

  it('keeps owners, hard links, device nodes, fifos, whiteouts and opaque markers', async () => {
    const dest = join(dir, 'diff');
    const tar = await tarBuffer([
      { path: 'data/', type: 'Directory', uid: 1000, gid: 1001, mode: 0o750 },
      { path: 'data/a', data: 'A', uid: 1000, gid: 1001, mode: 0o4755 },
      { path: 'data/b', type: 'Link', linkpath: 'data/a' },
      { path: 'dev/null', type: 'CharacterDevice', devmaj: 1, devmin: 3, mode: 0o666 },
      { path: 'dev/fifo', type: 'FIFO', mode: 0o600 },
      { path: 'data/.wh.gone', data: '' },
      { path: 'opq/.wh..wh..opq', data: '' },
      { path: 'opq/x', data: 'x' },
    ]);
    await unpackLayer(Readable.from([tar]), dest);
    const a = lstatSync(join(dest, 'data/a'));
    assert.deepEqual([a.uid, a.gid, a.mode & 0o7777, a.nlink], [1000, 1001, 0o4755, 2]);
    assert.equal(lstatSync(join(dest, 'data/b')).ino, a.ino);
    const nul = lstatSync(join(dest, 'dev/null'));
    assert.ok(nul.isCharacterDevice());
    assert.equal(nul.rdev, (1 << 8) | 3);
    assert.ok(lstatSync(join(dest, 'dev/fifo')).isFIFO());
    const wh = lstatSync(join(dest, 'data/gone'));
    assert.ok(wh.isCharacterDevice());
    assert.equal(wh.rdev, 0);
    assert.ok(!existsSync(join(dest, 'data/.wh.gone')));
    const opq = execFileSync('/usr/bin/python3', ['-c', 'import os,sys; print(os.getxattr(sys.argv[1], "trusted.overlay.opaque").decode())', join(dest, 'opq')], { encoding: 'utf8' });
    assert.equal(opq.trim(), 'y');
  });

  it('lets later entries replace earlier ones, as tar does', async () => {
    const dest = join(dir, 'diff');
    const tar = await tarBuffer([
      { path: 'f', data: 'first' },
      { path: 'f', data: 'second' },
      { path: 'd/', type: 'Directory' },
      { path: 'd/inner', data: 'x' },
      { path: 'd', data: 'now a file' },
      { path: 'l', type: 'SymbolicLink', linkpath: '/nowhere' },
      { path: 'l', data: 'file over symlink' },
      { path: '.wh.w', data: '' },
      { path: 'w', data: 'whiteout undone' },
    ]);
    await unpackLayer(Readable.from([tar]), dest);
    assert.equal(readFileSync(join(dest, 'f'), 'utf8'), 'second');
    assert.equal(readFileSync(join(dest, 'd'), 'utf8'), 'now a file');
    assert.equal(readFileSync(join(dest, 'l'), 'utf8'), 'file over symlink');
    assert.equal(readFileSync(join(dest, 'w'), 'utf8'), 'whiteout undone');
  });

  it('unpacks a highly compressible gzip layer (sparse-like files) without stalling', async () => {
    const big = Buffer.alloc(32 << 20);
    const gz = gzipSync(await tarBuffer([{ path: 'zeros', data: big }]));
    assert.ok(gz.length < big.length / 500);
    // Small chunks force many pauses between gunzip and the tar parser.
    const chunks: Buffer[] = [];
    for (let i = 0; i < gz.length; i += 1000) chunks.push(gz.subarray(i, i + 1000));
    const r = await unpackLayer(Readable.from(chunks), join(dir, 'diff'));
    assert.equal(r.size, big.length);
    assert.equal(lstatSync(join(dir, 'diff/zeros')).size, big.length);
  });

  it('takes an empty layer (end blocks alone, plain or gzip) as a layer that adds nothing', async () => {
    const empty = await tarBuffer([]);
    assert.equal(empty.length, 1024);
    assert.deepEqual(await unpackLayer(Readable.from([empty]), join(dir, 'plain')), { size: 0, entries: 0 });
    assert.equal((await unpackLayer(Readable.from([gzipSync(empty)]), join(dir, 'gz'))).entries, 0);
    // Zeros then garbage is still not a tar.
    await assert.rejects(unpackLayer(Readable.from([Buffer.concat([Buffer.alloc(512), Buffer.alloc(512, 'x')])]), join(dir, 'bad')), /reading layer tar/);
  });

  it('fails on input that is not a tar', async () => {
    await assert.rejects(unpackLayer(Readable.from([Buffer.alloc(4096, 'garbage')]), join(dir, 'diff')), /reading layer tar/);
    await assert.rejects(unpackLayer(Readable.from([Buffer.from([0x1f, 0x8b, 1, 2, 3, 4])]), join(dir, 'diff2')), /decompress|unexpected end|header/i);
  });

  describe('path escapes write nothing outside the target', () => {
    const cases: Array<[string, TarMember[]]> = [
      ['../x', [{ path: '../escaped', data: 'pwned' }]],
      ['a/../../x', [{ path: 'a/', type: 'Directory' }, { path: 'a/../../escaped', data: 'pwned' }]],
      ['/abs', [{ path: '__ABS__/escaped', data: 'pwned' }]],
      ['symlink then write through', [{ path: 'a', type: 'SymbolicLink', linkpath: '__OUT__' }, { path: 'a/escaped', data: 'pwned' }]],
      ['symlink to .. then write through', [{ path: 'a', type: 'SymbolicLink', linkpath: '..' }, { path: 'a/escaped', data: 'pwned' }]],
      ['hard link to a host file', [{ path: 'h', type: 'Link', linkpath: '../outside-file' }]],
      ['whiteout through a symlink', [{ path: 'a', type: 'SymbolicLink', linkpath: '__OUT__' }, { path: 'a/.wh.escaped', data: '' }]],
      ['device through a symlink', [{ path: 'a', type: 'SymbolicLink', linkpath: '__OUT__' }, { path: 'a/escaped', type: 'FIFO' }]],
      ['opaque through a symlink', [{ path: 'a', type: 'SymbolicLink', linkpath: '__OUT__' }, { path: 'a/.wh..wh..opq', data: '' }]],
    ];
    for (const [name, members] of cases) {
      it(name, async () => {
        const out = join(dir, 'out');
        const dest = join(dir, 'target', 'diff');
        execFileSync('mkdir', ['-p', out, dest]);
        writeFileSync(join(dir, 'target', 'outside-file'), 'host');
        const fixed = members.map((m) => ({
          ...m,
          path: m.path.replace('__ABS__', out),
          linkpath: m.linkpath?.replace('__OUT__', out),
        }));
        await assert.rejects(unpackLayer(Readable.from([await tarBuffer(fixed)]), dest), (e: Error) => {
          assert.ok(e instanceof UnsafeLayerError || /symlink|Too many levels|not a directory|ELOOP|ENOTDIR/i.test(e.message), e.message);
          return true;
        });
        assert.ok(!existsSync(join(out, 'escaped')), 'wrote through to the outside dir');
        assert.ok(!existsSync(join(dir, 'target', 'escaped')), 'wrote next to the target');
        assert.ok(!existsSync(join(dir, 'escaped')));
        assert.equal(readFileSync(join(dir, 'target', 'outside-file'), 'utf8'), 'host');
        assert.equal(lstatSync(join(dir, 'target', 'outside-file')).nlink, 1);
      });
    }
  });
});
