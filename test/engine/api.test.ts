// The engine's HTTP edge: versioned and unversioned paths, docker-style JSON
// errors with the right status codes, and a socket only root can use.

import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { startTestEngine, type TestEngine } from './engine-fixture.js';

describe('engine API edge', function () {
  this.timeout(60_000);
  let engine: TestEngine;
  before(async () => {
    engine = await startTestEngine({ image: false });
  });
  after(async () => engine?.stop());

  it('answers /_ping with API headers, on versioned and unversioned paths', async () => {
    const r = await engine.request('GET', '/_ping');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'OK');
    assert.match(String(r.headers['api-version']), /^1\.\d+$/);
    assert.equal((await engine.request('GET', '/v1.41/_ping')).status, 200);
    const version = JSON.parse((await engine.request('GET', '/v1.41/version')).body);
    assert.equal(version.Os, 'linux');
    assert.ok(version.ApiVersion);
  });

  it('says which runtime it uses in /info', async () => {
    const info = JSON.parse((await engine.request('GET', '/info')).body);
    assert.ok(['runc', 'crun'].includes(info.DefaultRuntime), info.DefaultRuntime);
    assert.equal(info.Driver, 'overlay2');
  });

  it('answers unknown endpoints with 404 and a JSON message', async () => {
    const r = await engine.request('GET', '/v1.41/no/such/thing');
    assert.equal(r.status, 404);
    assert.equal(typeof JSON.parse(r.body).message, 'string');
  });

  it('answers bad requests with 400 and what is wrong', async () => {
    const bad = await engine.request('POST', '/containers/create', '{not json');
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).message, /invalid JSON/);
    const noImage = await engine.request('POST', '/containers/create', { Image: 'no-such-image:1' });
    assert.equal(noImage.status, 404);
    assert.match(JSON.parse(noImage.body).message, /No such image: no-such-image:1/);
    const old = await engine.request('GET', '/v1.12/version');
    assert.equal(old.status, 400);
    assert.match(JSON.parse(old.body).message, /too old/);
    const missing = await engine.request('GET', '/containers/nope/json');
    assert.equal(missing.status, 404);
    assert.match(JSON.parse(missing.body).message, /No such container: nope/);
  });

  it('keeps its socket away from other users', () => {
    const mode = statSync(engine.socketPath).mode & 0o777;
    assert.equal(mode & 0o002, 0, `socket is world-writable: ${mode.toString(8)}`);
    assert.equal(statSync(engine.socketPath).uid, 0);
  });

  it('refuses to start a second engine on the same data root', async () => {
    const { spawnSync } = await import('node:child_process');
    const { engineMain } = await import('./engine-fixture.js');
    const r = spawnSync(process.execPath, [engineMain, '--socket', `${engine.socketPath}.2`, '--data-root', engine.dataRoot, '--exec-root', `${engine.execRoot}-2`], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /already running/);
  });
});
