// compose commit and compose export on a real engine: a service container's
// changes become an image (with -c instructions applied), and its filesystem
// comes out as docker export writes it.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TarParser } from '../../src/project/tar-parse.js';
import { commit, exportContainer } from '../../src/project/index.js';
import { fakeProject, type FakeProject } from './fake-project.js';

describe('commit and export', function () {
  this.timeout(60_000);
  let p: FakeProject;
  const repo = `gantry-test/committed-${randomBytes(3).toString('hex')}`;
  const load = () => ({ projectName: p.name, workingDir: '/tmp' });

  before(async () => {
    p = await fakeProject('gtcommit');
    await p.add('web', { cmd: ['sh', '-c', 'echo changed > /changed && mkdir -p /data && echo kept > /data/f && exec sleep 300'] });
    // Let the command make its changes.
    for (let i = 0; i < 50; i++) {
      const { tar } = await exportContainer(load(), { service: 'web' });
      let found = false;
      const parser = new TarParser();
      for await (const chunk of tar) for (const e of parser.push(chunk as Buffer)) if (e.kind === 'entry' && e.header.name === 'data/f') found = true;
      if (found) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  after(async () => {
    await p.engine.images.remove(`${repo}:v1`, { force: true }).catch(() => undefined);
    await p.sweep();
  });

  it('commit makes an image of the container\'s changes, tagged as asked, with -c applied', async () => {
    const r = await commit(load(), { service: 'web', reference: `${repo}:v1`, changes: ['ENV COMMITTED=yes', 'LABEL from=gantry'], message: 'a test', author: 'gantry tests' });
    assert.match(r.id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(r.container, `${p.name}-web-1`);
    const image = (await p.engine.images.inspect(`${repo}:v1`))!;
    assert.equal(image.Id, r.id);
    assert.ok(image.Config?.Env?.includes('COMMITTED=yes'), JSON.stringify(image.Config?.Env));
    assert.equal(image.Config?.Labels?.from, 'gantry');
    assert.equal(image.Author, 'gantry tests');
    assert.equal(image.Comment, 'a test');
    const base = (await p.engine.images.inspect('busybox:latest'))!;
    assert.equal(image.RootFS?.Layers?.length, (base.RootFS?.Layers?.length ?? 0) + 1);
    await assert.rejects(commit(load(), { service: 'web', reference: 'Not A Valid:Ref' }), /invalid reference format/);
    await assert.rejects(commit(load(), { service: 'web', reference: `busybox@sha256:${'a'.repeat(64)}` }), /cannot be named by a digest/);
    await assert.rejects(commit(load(), { service: 'nosuch' }), /service "nosuch" is not running/);
  });

  it('export writes the container\'s filesystem with bare names, its own changes in, the runtime\'s /proc out', async () => {
    const { container, tar } = await exportContainer(load(), { service: 'web' });
    assert.equal(container, `${p.name}-web-1`);
    const names = new Set<string>();
    let changed = '';
    let current = '';
    const parser = new TarParser();
    for await (const chunk of tar) {
      for (const e of parser.push(chunk as Buffer)) {
        if (e.kind === 'entry') {
          names.add(e.header.name);
          current = e.header.name;
        } else if (e.kind === 'data' && current === 'changed') changed += e.data.toString();
      }
    }
    assert.equal(changed, 'changed\n');
    for (const n of ['bin/', 'bin/busybox', 'data/', 'data/f', 'changed']) assert.ok(names.has(n), `${n} missing from the export`);
    assert.ok(![...names].some((n) => n.startsWith('./') || n.startsWith('/')), 'names are bare, as docker export writes them');
    assert.ok(![...names].some((n) => n.startsWith('proc/') && n !== 'proc/'), 'the runtime\'s /proc came out with it');
  });
});
