// A registry behind htpasswd Basic auth: refused without credentials, pull
// and push work with the credentials `docker login` stored (sent by the CLI
// as X-Registry-Auth).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, type TestEngine } from '../engine-fixture.js';
import { dockerWithConfig, startTestRegistry, type TestRegistry } from './registry-fixture.js';

describe('embedded engine: registry with Basic auth', function () {
  this.timeout(180_000);
  let registry: TestRegistry;
  let engine: TestEngine;
  let config: string;
  const docker = (args: string[], input = '') => dockerWithConfig(engine.host, config, args, input);

  before(async () => {
    registry = await startTestRegistry({ users: { alice: 's3cret' } });
    engine = await startTestEngine();
    config = mkdtempSync(join(tmpdir(), 'gt-docker-config-'));
  });
  after(async () => {
    await engine?.stop();
    await registry?.stop();
    if (config) rmSync(config, { recursive: true, force: true });
  });

  it('refuses push and pull without credentials', () => {
    const name = `${registry.host}/private/busybox:1`;
    assert.equal(docker(['tag', 'busybox:latest', name]).status, 0);
    const push = docker(['push', name]);
    assert.notEqual(push.status, 0);
    assert.match(push.stderr + push.stdout, /no basic auth credentials/);
    const pull = docker(['pull', name]);
    assert.notEqual(pull.status, 0);
    assert.match(pull.stderr, /pull access denied for .*private\/busybox.*no basic auth credentials/);
  });

  it('docker login refuses a wrong password and accepts the right one', () => {
    const bad = docker(['login', '-u', 'alice', '--password-stdin', registry.host], 'wrong\n');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /401/);
    const good = docker(['login', '-u', 'alice', '--password-stdin', registry.host], 's3cret\n');
    assert.equal(good.status, 0, good.stderr);
    assert.match(good.stdout, /Login Succeeded/);
  });

  it('pushes and pulls with the stored credentials', () => {
    const name = `${registry.host}/private/busybox:1`;
    const push = docker(['push', name]);
    assert.equal(push.status, 0, push.stderr + push.stdout);
    assert.match(push.stdout, /1: digest: sha256:/);
    assert.equal(docker(['rmi', name]).status, 0);
    const pull = docker(['pull', name]);
    assert.equal(pull.status, 0, pull.stderr);
    assert.match(pull.stdout, /Status: Downloaded newer image/);
  });

  it('a wrong password in X-Registry-Auth is refused on pull', async () => {
    const auth = Buffer.from(JSON.stringify({ username: 'alice', password: 'nope', serveraddress: registry.host })).toString('base64url');
    const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          { socketPath: engine.socketPath, method: 'POST', path: `/images/create?fromImage=${registry.host}/private/busybox&tag=1`, headers: { 'X-Registry-Auth': auth } },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      }, reject);
    });
    // The manifest request itself is refused: an error status before any progress.
    assert.equal(r.status, 404, r.body);
    assert.match(JSON.parse(r.body).message, /pull access denied.*unauthorized/);
  });
});
