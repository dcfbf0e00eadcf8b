// The tar codec behind compose cp: what packPath writes, TarParser reads back,
// whatever the chunking; and what other writers put in archives (PAX, GNU
// long names, base-256 numbers) is read too.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, linkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { encodeHeader, decodeHeader, type TarHeader } from '../../src/project/tar-format.js';
import { packPath } from '../../src/project/tar-pack.js';
import { TarParser } from '../../src/project/tar-parse.js';
import { extractTar } from '../../src/project/tar-extract.js';

async function bytesOf(gen: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of gen) parts.push(b);
  return Buffer.concat(parts);
}

/** Entries with their data, parsed from `tar` cut into chunks of `size`. */
function parse(tar: Buffer, size: number): { header: TarHeader; data: string }[] {
  const parser = new TarParser();
  const out: { header: TarHeader; data: string }[] = [];
  let data: Buffer[] = [];
  const apply = (events: ReturnType<TarParser['push']>) => {
    for (const e of events) {
      if (e.kind === 'entry') {
        out.push({ header: e.header, data: '' });
        data = [];
      } else if (e.kind === 'data') data.push(Buffer.from(e.data));
      else if (e.kind === 'end-entry') out[out.length - 1]!.data = Buffer.concat(data).toString('utf8');
    }
  };
  for (let i = 0; i < tar.length; i += size) apply(parser.push(tar.subarray(i, i + size)));
  apply(parser.finish());
  return out;
}

describe('tar codec', () => {
  let dir: string;
  const LONG = `${'x'.repeat(120)}/${'y'.repeat(130)}.txt`;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gantry-tar-'));
    mkdirSync(join(dir, 'src/sub'), { recursive: true });
    writeFileSync(join(dir, 'src/a.txt'), 'alpha\n');
    chmodSync(join(dir, 'src/a.txt'), 0o741);
    writeFileSync(join(dir, 'src/sub/ünï.txt'), 'unicode\n');
    symlinkSync('a.txt', join(dir, 'src/link'));
    linkSync(join(dir, 'src/a.txt'), join(dir, 'src/hard'));
    mkdirSync(join(dir, 'src', LONG, '..'), { recursive: true });
    writeFileSync(join(dir, 'src', LONG), 'long\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('packs a tree that parses back, in any chunking', async () => {
    const tar = await bytesOf(packPath(join(dir, 'src'), { root: 'app' }));
    assert.equal(tar.length % 512, 0);
    for (const size of [1, 7, 512, 513, 4096, tar.length]) {
      const entries = parse(tar, size);
      const byName = Object.fromEntries(entries.map((e) => [e.header.name, e]));
      assert.deepEqual(Object.keys(byName).sort(), ['app/', 'app/a.txt', 'app/hard', 'app/link', 'app/sub/', 'app/sub/ünï.txt', `app/${LONG.split('/')[0]}/`, `app/${LONG}`].sort());
      assert.equal(byName['app/a.txt']!.data, 'alpha\n');
      assert.equal(byName['app/a.txt']!.header.mode, 0o741);
      assert.equal(byName['app/link']!.header.type, 'symlink');
      assert.equal(byName['app/link']!.header.linkname, 'a.txt');
      assert.equal(byName['app/hard']!.header.type, 'hardlink');
      assert.equal(byName['app/hard']!.header.linkname, 'app/a.txt');
      assert.equal(byName[`app/${LONG}`]!.data, 'long\n');
      assert.equal(byName['app/sub/ünï.txt']!.data, 'unicode\n');
    }
  });

  it('writes archives that GNU tar reads', async () => {
    const tar = await bytesOf(packPath(join(dir, 'src'), { root: 'app' }));
    const listing = execFileSync('tar', ['-tf', '-'], { input: tar }).toString().trim().split('\n').sort();
    assert.ok(listing.includes(`app/${LONG}`));
    assert.ok(listing.includes('app/sub/ünï.txt'));
  });

  it('reads what GNU tar writes, long names included', async () => {
    const out = join(dir, 'gnu.tar');
    for (const format of ['gnu', 'pax', 'ustar']) {
      const args = format === 'ustar' ? ['-cf', out, '--format=ustar', 'src/a.txt', 'src/sub'] : ['-cf', out, `--format=${format}`, 'src'];
      execFileSync('tar', args, { cwd: dir });
      const names = parse(readFileSync(out), 300).map((e) => e.header.name);
      assert.ok(names.includes('src/a.txt'), `${format}: ${names.join(', ')}`);
      if (format !== 'ustar') assert.ok(names.includes(`src/${LONG}`), `${format} long name`);
    }
  });

  it('a header round-trips whatever its name, size and ids', () => {
    fc.assert(
      fc.property(
        fc.record({
          name: fc.stringMatching(/^[a-zA-Z0-9ü._ -]{1,20}(\/[a-zA-Z0-9é._-]{1,80}){0,4}$/),
          size: fc.oneof(fc.nat(1_000_000), fc.constant(9_000_000_000)),
          uid: fc.oneof(fc.nat(65535), fc.constant(5_000_000)),
          mtime: fc.nat(2_000_000_000),
        }),
        ({ name, size, uid, mtime }) => {
          const header: TarHeader = { name, type: 'file', mode: 0o644, uid, gid: 0, size, mtime, linkname: '' };
          const bytes = encodeHeader(header);
          const parser = new TarParser();
          const events = parser.push(bytes);
          const entry = events.find((e) => e.kind === 'entry');
          assert.ok(entry && entry.kind === 'entry');
          assert.equal(entry.header.name, name);
          assert.equal(entry.header.size, size);
          assert.equal(entry.header.uid, uid);
          assert.equal(entry.header.mtime, mtime);
        },
      ),
    );
  });

  it('rejects what is not a tar archive, and a truncated one', () => {
    const bad = Buffer.alloc(512, 0x41);
    assert.throws(() => decodeHeader(bad), /not a tar archive/);
    const parser = new TarParser();
    parser.push(encodeHeader({ name: 'f', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 10, mtime: 0, linkname: '' }));
    assert.throws(() => parser.finish(), /ended in the middle of an entry/);
  });

  it('extracting never leaves the destination, by .. or through a planted link', async () => {
    const dest = mkdtempSync(join(tmpdir(), 'gantry-untar-'));
    try {
      const entry = (h: Partial<TarHeader> & { name: string }, body = '') => {
        const data = Buffer.from(body);
        const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
        return Buffer.concat([encodeHeader({ type: 'file', mode: 0o644, uid: 0, gid: 0, size: data.length, mtime: 0, linkname: '', ...h }), data, pad]);
      };
      const escape = Buffer.concat([entry({ name: '../escaped.txt' }, 'x'), Buffer.alloc(1024)]);
      await assert.rejects(extractTar([escape], { dir: dest }), /points outside the destination/);
      const planted = Buffer.concat([entry({ name: 'evil', type: 'symlink', linkname: '/tmp' }), entry({ name: 'evil/owned.txt' }, 'x'), Buffer.alloc(1024)]);
      await assert.rejects(extractTar([planted], { dir: dest }), /through the symbolic link/);
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  });
});
