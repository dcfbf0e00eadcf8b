import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GantryError } from '../../src/common/errors.js';
import { compareApiVersions, connect, EngineError, MAX_API_VERSION, MIN_API_VERSION } from '../../src/engine-client/index.js';
import { testClient } from './test-engine.js';

describe('connect (real engine)', () => {
  it('pings the engine and agrees on the lower API version', async () => {
    const client = await testClient();
    assert.ok(client.engineApiVersion, 'the engine announces its API version');
    const expected = compareApiVersions(client.engineApiVersion!, MAX_API_VERSION) < 0 ? client.engineApiVersion : MAX_API_VERSION;
    assert.equal(client.apiVersion, expected);
    assert.ok(compareApiVersions(client.apiVersion, MIN_API_VERSION) >= 0);
    assert.equal(client.supports(MIN_API_VERSION), true);
    assert.equal(client.supports('9.99'), false);
    const version = await client.system.version();
    assert.equal(version.ApiVersion, client.engineApiVersion);
    const info = await client.system.info();
    assert.equal(typeof info.ServerVersion, 'string');
    assert.equal(typeof (await client.system.ping()).ApiVersion, 'string');
  });

  it('names the socket, the reason and the fix when nothing listens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-ec-'));
    const url = `unix://${dir}/absent.sock`;
    try {
      await assert.rejects(connect({ env: {}, defaultHost: url }), (e: unknown) => {
        assert.ok(e instanceof EngineError && e instanceof GantryError);
        assert.equal(e.kind, 'engine');
        assert.equal(e.message, `cannot connect to the container engine at ${url}: no socket at ${dir}/absent.sock`);
        assert.match(e.hint ?? '', /is the engine running\? set DOCKER_HOST/);
        return true;
      });
      await assert.rejects(connect({ env: { DOCKER_HOST: 'tcp://127.0.0.1:1' } }), (e: unknown) => {
        assert.ok(e instanceof GantryError);
        assert.equal(e.message, 'cannot connect to the container engine at tcp://127.0.0.1:1: connection refused');
        assert.match(e.hint ?? '', /DOCKER_HOST is set to tcp:\/\/127\.0\.0\.1:1/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives up on an engine that never answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-ec-'));
    const sock = join(dir, 'silent.sock');
    const server: Server = createServer(() => {});
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      await assert.rejects(connect({ host: `unix://${sock}`, env: {}, timeoutMs: 200 }), (e: unknown) => {
        assert.ok(e instanceof GantryError);
        assert.equal(e.message, `cannot connect to the container engine at unix://${sock}: no answer within 0.2 s`);
        assert.match(e.hint ?? '', /--host/);
        return true;
      });
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs one line per call under GANTRY_DEBUG=engine-client, and nothing without it', async () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const quiet = await connect({ env: { ...process.env, GANTRY_DEBUG: undefined } });
      await quiet.system.version();
      assert.deepEqual(lines, []);
      const loud = await connect({ env: { ...process.env, GANTRY_DEBUG: 'engine-client' } });
      await loud.system.version();
      await loud.images.inspect('gantry-no-such-image:nope');
    } finally {
      process.stderr.write = write;
    }
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^engine-client GET \/_ping 200 \d+ms\n$/);
    assert.match(lines[1]!, /^engine-client GET \/v1\.\d+\/version 200 \d+ms\n$/);
    assert.match(lines[2]!, /^engine-client GET \/v1\.\d+\/images\/gantry-no-such-image:nope\/json 404 \d+ms\n$/);
  });
});
