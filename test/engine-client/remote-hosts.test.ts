import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { connect, EngineError, type EngineClient } from '../../src/engine-client/index.js';
import { makeTlsFiles, startRelay, type Relay, type TlsFiles } from './engine-relay.js';
import { newTestRun, TEST_IMAGE, testClient, textOf } from './test-engine.js';

describe('tcp:// and TLS hosts (real engine through a local relay)', function () {
  this.timeout(30_000);
  const run = newTestRun();
  let local: EngineClient;
  const relays: Relay[] = [];
  let tls: TlsFiles;

  before(async () => {
    local = await testClient();
    tls = makeTlsFiles();
  });
  after(async () => {
    await run.sweep(local);
    for (const r of relays) await r.close();
    rmSync(dirname(tls.clientDir), { recursive: true, force: true });
  });

  it('drives the engine over plain tcp://, including an upgraded exec stream', async () => {
    const relay = await startRelay();
    relays.push(relay);
    const client = await connect({ env: { DOCKER_HOST: `tcp://127.0.0.1:${relay.port}` } });
    assert.equal(client.host, `tcp://127.0.0.1:${relay.port}`);
    assert.equal(client.apiVersion, local.apiVersion);

    const name = run.name('over-tcp');
    await client.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '1000'], Labels: run.labels }, { name });
    await client.containers.start(name);
    // stdin is half-closed over TCP while the output keeps flowing back.
    const exec = await client.containers.execCreate(name, { Cmd: ['tr', 'a-z', 'A-Z'], AttachStdin: true });
    const streams = await client.containers.execStart(exec, { stdin: true });
    streams!.stdin!.end('through tcp\n');
    assert.equal(await textOf(streams!.stdout), 'THROUGH TCP\n');
    assert.equal((await client.containers.execInspect(exec))?.ExitCode, 0);
  });

  it('speaks TLS with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', async () => {
    const relay = await startRelay(tls.server);
    relays.push(relay);
    const client = await connect({ env: { DOCKER_HOST: `tcp://127.0.0.1:${relay.port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.clientDir } });
    const version = await client.system.version();
    assert.equal(version.ApiVersion, local.engineApiVersion);
  });

  it('refuses a TLS engine whose certificate the CA did not sign', async () => {
    const other = makeTlsFiles();
    try {
      const relay = await startRelay(other.server);
      relays.push(relay);
      const url = `tcp://127.0.0.1:${relay.port}`;
      await assert.rejects(connect({ env: { DOCKER_HOST: url, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.clientDir } }), (e: unknown) => {
        assert.ok(e instanceof EngineError);
        assert.ok(e.message.startsWith(`cannot connect to the container engine at ${url}: `), e.message);
        assert.match(e.message, /certificate/i);
        return true;
      });
    } finally {
      rmSync(dirname(other.clientDir), { recursive: true, force: true });
    }
  });
});
