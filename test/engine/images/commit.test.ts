// `docker commit` on the embedded engine: the container's overlay upper dir
// becomes a layer, deletions become whiteouts, and the image runs.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { startTestEngine, type TestEngine } from '../engine-fixture.js';

describe('engine: POST /commit', function () {
  this.timeout(120_000);
  let engine: TestEngine;

  before(async () => {
    engine = await startTestEngine();
  });
  after(async () => {
    await engine?.stop();
  });

  it('turns a deleted file into a whiteout and keeps a new file, with the changes applied', () => {
    const run = engine.docker(['run', '--name', 'changer', 'busybox', 'sh', '-c', 'rm /etc/passwd && mkdir -p /data && echo made > /data/new.txt && rm -rf /home && mkdir /home && echo only > /home/one']);
    assert.equal(run.status, 0, run.stderr);
    const commit = engine.docker(['commit', '-c', 'ENV COMMITTED=yes', '-c', 'CMD ["cat", "/data/new.txt"]', '-m', 'a message', '-a', 'tester', 'changer', 'committed:v1']);
    assert.equal(commit.status, 0, commit.stderr);
    assert.match(commit.stdout.trim(), /^sha256:[0-9a-f]{64}$/);

    const check = engine.docker(['run', '--rm', 'committed:v1', 'sh', '-c', 'test ! -e /etc/passwd && echo gone; cat /data/new.txt; ls /home; echo $COMMITTED']);
    assert.equal(check.status, 0, check.stderr);
    assert.equal(check.stdout, 'gone\nmade\none\nyes\n');
    const cmd = engine.docker(['run', '--rm', 'committed:v1']);
    assert.equal(cmd.stdout, 'made\n');

    const inspect = JSON.parse(engine.docker(['image', 'inspect', 'committed:v1']).stdout) as Array<{ Comment: string; Author: string; RootFS: { Layers: string[] } }>;
    const base = JSON.parse(engine.docker(['image', 'inspect', 'busybox']).stdout) as Array<{ RootFS: { Layers: string[] } }>;
    assert.equal(inspect[0]!.Comment, 'a message');
    assert.equal(inspect[0]!.Author, 'tester');
    assert.deepEqual(inspect[0]!.RootFS.Layers.slice(0, -1), base[0]!.RootFS.Layers, 'one layer on top of the image');
    const hist = engine.docker(['history', '--no-trunc', '--format', '{{.Comment}}', 'committed:v1']);
    assert.equal(hist.stdout.split('\n')[0], 'a message');
  });

  it('answers 404 for an unknown container', async () => {
    const r = await engine.request('POST', '/commit?container=nope&repo=x');
    assert.equal(r.status, 404);
    assert.match(r.body, /No such container: nope/);
  });
});
