// compose cp on a real engine, both ways, with docker cp's naming rules,
// modes, links, long and non-ASCII names, big files, and tar streams.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { cp, exec } from '../../src/project/index.js';
import { TarParser } from '../../src/project/tar-parse.js';
import { packPath } from '../../src/project/tar-pack.js';
import { fakeProject, type FakeProject } from './fake-project.js';

const LONG = `${'deep-directory-name/'.repeat(6)}${'a-rather-long-file-name-'.repeat(5)}.txt`;

describe('cp on an engine', function () {
  this.timeout(60_000);
  let p: FakeProject;
  let local: string;
  const load = () => ({ projectName: p.name, workingDir: '/tmp' });
  const sh = async (script: string, index = 1) => {
    const proc = await exec(load(), { service: 'web', command: ['sh', '-c', script], index, interactive: false });
    let out = '';
    for await (const c of proc.stdout!) out += c;
    const code = await proc.exitCode;
    assert.equal(code, 0, `${script} exited with ${code}`);
    return out;
  };
  const copy = (source: string, destination: string, more: Partial<Parameters<typeof cp>[1]> = {}) => cp(load(), { source, destination, cwd: local, ...more });

  before(async () => {
    p = await fakeProject('gtcp');
    await p.add('web', { cmd: ['sleep', '300'] });
    await p.add('web', { number: 2, cmd: ['sleep', '300'] });
    await p.add('stopped', { cmd: ['true'] });
    local = mkdtempSync(join(tmpdir(), 'gantry-cp-'));
    await sh(
      'mkdir -p /d/sub && echo a > /d/a.txt && echo b > /d/sub/b.txt && chmod 751 /d/a.txt && ln -s a.txt /d/link && ln /d/a.txt /d/hard && ' +
        `mkdir -p "/long/$(dirname ${LONG})" && echo long > "/long/${LONG}" && echo ü > "/d/grüße.txt" && ` +
        'dd if=/dev/urandom of=/big bs=1024 count=3000 2>/dev/null && touch -d "2001-02-03 04:05:06" /d/sub/b.txt',
    );
  });
  after(async () => {
    await p.sweep();
    rmSync(local, { recursive: true, force: true });
  });

  describe('out of a container', () => {
    it('a file into an existing directory keeps its name, mode and time', async () => {
      mkdirSync(join(local, 'out1'));
      const r = await copy('web:/d/a.txt', 'out1');
      assert.deepEqual(r, { direction: 'from-container', containers: [`${p.name}-web-1`], tar: undefined });
      assert.equal(readFileSync(join(local, 'out1/a.txt'), 'utf8'), 'a\n');
      assert.equal(statSync(join(local, 'out1/a.txt')).mode & 0o777, 0o751);
    });

    it('a file to a new path takes that name; a path ending in / must exist', async () => {
      await copy('web:/d/a.txt', 'renamed.txt');
      assert.equal(readFileSync(join(local, 'renamed.txt'), 'utf8'), 'a\n');
      await assert.rejects(copy('web:/d/a.txt', 'missing-dir/'), /destination directory missing-dir\/ does not exist/);
      await assert.rejects(copy('web:/d/a.txt', 'no/such/parent/file'), /the directory .*no\/such\/parent does not exist/);
    });

    it('a directory to a new path becomes that directory, links and times kept', async () => {
      await copy('web:/d', 'tree');
      assert.deepEqual(readdirSync(join(local, 'tree')).sort(), ['a.txt', 'grüße.txt', 'hard', 'link', 'sub']);
      assert.equal(readlinkSync(join(local, 'tree/link')), 'a.txt');
      assert.equal(statSync(join(local, 'tree/hard')).ino, statSync(join(local, 'tree/a.txt')).ino);
      assert.equal(readFileSync(join(local, 'tree/grüße.txt'), 'utf8'), 'ü\n');
      assert.equal(statSync(join(local, 'tree/sub/b.txt')).mtime.getUTCFullYear(), 2001);
    });

    it('dir/. copies the contents into an existing directory; a directory cannot replace a file', async () => {
      mkdirSync(join(local, 'contents'));
      await copy('web:/d/.', 'contents');
      assert.ok(readdirSync(join(local, 'contents')).includes('a.txt'));
      await assert.rejects(copy('web:/d', 'renamed.txt'), /cannot copy a directory to a file/);
    });

    it('-L copies what a link points to, under the link\'s name', async () => {
      mkdirSync(join(local, 'links'));
      await copy('web:/d/link', 'links');
      assert.ok(lstatSync(join(local, 'links/link')).isSymbolicLink());
      await copy('web:/d/link', 'links/followed', { followLink: true });
      assert.ok(lstatSync(join(local, 'links/followed')).isFile());
      mkdirSync(join(local, 'links2'));
      await copy('web:/d/link', 'links2', { followLink: true });
      assert.equal(readFileSync(join(local, 'links2/link'), 'utf8'), 'a\n');
    });

    it('long names and a 3 MB file come out whole', async () => {
      await copy('web:/long', 'long');
      assert.equal(readFileSync(join(local, 'long', LONG), 'utf8'), 'long\n');
      await copy('web:/big', 'big');
      const inside = (await sh('sha256sum /big')).split(' ')[0];
      assert.equal(createHash('sha256').update(readFileSync(join(local, 'big'))).digest('hex'), inside);
    });

    it('- hands back the tar stream', async () => {
      const r = await copy('web:/d/sub', '-');
      const names: string[] = [];
      const parser = new TarParser();
      for await (const chunk of r.tar!) for (const e of parser.push(chunk as Buffer)) if (e.kind === 'entry') names.push(e.header.name);
      assert.deepEqual(names, ['sub/', 'sub/b.txt']);
    });

    it('a missing path or service says so', async () => {
      await assert.rejects(copy('web:/nope', 'x'), /no such file or directory in the container: .*-web-1:\/nope/);
      await assert.rejects(copy('nosuch:/etc/hosts', 'x'), /no container found for service "nosuch"/);
    });
  });

  describe('into containers', () => {
    it('a file into an existing directory of every replica', async () => {
      writeFileSync(join(local, 'hello.txt'), 'hello\n');
      chmodSync(join(local, 'hello.txt'), 0o640);
      const r = await copy('hello.txt', 'web:/tmp');
      assert.deepEqual(r.containers, [`${p.name}-web-1`, `${p.name}-web-2`]);
      for (const i of [1, 2]) assert.equal(await sh('cat /tmp/hello.txt; stat -c %a /tmp/hello.txt', i), 'hello\n640\n');
    });

    it('--index copies into one replica; a new path renames; a stopped container still takes files', async () => {
      await copy('hello.txt', 'web:/tmp/only-two.txt', { index: 2 });
      assert.equal(await sh('cat /tmp/only-two.txt', 2), 'hello\n');
      assert.equal(await sh('test -e /tmp/only-two.txt && echo yes || echo no', 1), 'no\n');
      await assert.doesNotReject(cp(load(), { source: join(local, 'hello.txt'), destination: 'stopped:/hello.txt' }));
    });

    it('a directory to a new path, its contents with dir/., long and non-ASCII names', async () => {
      mkdirSync(join(local, 'src/inner'), { recursive: true });
      writeFileSync(join(local, 'src/inner/x.txt'), 'x\n');
      writeFileSync(join(local, 'src/ünïcode.txt'), 'u\n');
      mkdirSync(join(local, 'src', LONG, '..'), { recursive: true });
      writeFileSync(join(local, 'src', LONG), 'long\n');
      symlinkSync('inner/x.txt', join(local, 'src/link'));
      await copy('src', 'web:/tmp/newdir');
      assert.equal(await sh(`cat /tmp/newdir/inner/x.txt /tmp/newdir/ünïcode.txt "/tmp/newdir/${LONG}"; readlink /tmp/newdir/link`), 'x\nu\nlong\ninner/x.txt\n');
      await sh('mkdir -p /tmp/merged && echo keep > /tmp/merged/keep.txt');
      await copy('src/.', 'web:/tmp/merged');
      assert.equal(await sh('cd /tmp/merged && cat keep.txt inner/x.txt'), 'keep\nx\n');
    });

    it('refuses a file into a missing directory, and a directory onto a file', async () => {
      await assert.rejects(copy('hello.txt', 'web:/tmp/not-there/'), /destination directory .*-web-1:\/tmp\/not-there\/ does not exist/);
      await assert.rejects(copy('src', 'web:/tmp/hello.txt'), /cannot copy a directory to a file/);
      await assert.rejects(copy('nothing-here', 'web:/tmp'), /cannot copy .*nothing-here: no such file or directory/);
    });

    it('a big file goes in whole; - reads a tar stream from stdin', async () => {
      writeFileSync(join(local, 'big-in'), randomBytes(2_500_000));
      await copy('big-in', 'web:/tmp/big-in', { index: 1 });
      const sum = createHash('sha256').update(readFileSync(join(local, 'big-in'))).digest('hex');
      assert.equal((await sh('sha256sum /tmp/big-in')).split(' ')[0], sum);
      const tar = Readable.from(packPath(join(local, 'hello.txt'), { root: 'from-stdin.txt' }));
      await copy('-', 'web:/tmp', { stdin: tar, index: 1 });
      assert.equal(await sh('cat /tmp/from-stdin.txt'), 'hello\n');
      await assert.rejects(copy('-', 'web:/tmp/hello.txt', { stdin: Readable.from([]), index: 1 }), /must be a directory/);
    });

    it('needs exactly one side to be a service', async () => {
      await assert.rejects(copy('a', 'b'), /one of the paths must name a service/);
      await assert.rejects(copy('web:/a', 'web:/b'), /copying between services is not supported/);
    });
  });
});
