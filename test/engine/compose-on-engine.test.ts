// The main job: `compose up -d` on the embedded engine, with a healthcheck
// dependency and a one-shot job, then ps, logs and down.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountsUnder, repoRoot, startTestEngine, type TestEngine } from './engine-fixture.js';

describe('compose on the embedded engine', function () {
  this.timeout(120_000);
  let engine: TestEngine;
  let dir: string;
  const compose = (args: string[]) => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'dist/src/cli/main.js'), ...args], {
      cwd: dir,
      env: { ...process.env, DOCKER_HOST: engine.host, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 90_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  before(async () => {
    engine = await startTestEngine();
    dir = mkdtempSync(join(tmpdir(), 'gantry-compose-engine-'));
    writeFileSync(
      join(dir, 'compose.yaml'),
      `name: gtengine
services:
  web:
    image: busybox:latest
    command: ["sh", "-c", "echo web up; exec sleep 3600"]
    depends_on:
      cache: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
  cache:
    image: busybox:latest
    command: ["sh", "-c", "touch /tmp/ready; exec sleep 3600"]
    healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: 500ms, retries: 10 }
  migrate:
    image: busybox:latest
    command: ["sh", "-c", "echo migrating; echo done"]
    volumes: [data:/data]
volumes:
  data: {}
`,
    );
  });
  after(async () => {
    if (dir) compose(['down', '-v']);
    await engine?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('brings the group up in dependency order, and down again', () => {
    const up = compose(['up', '-d']);
    assert.equal(up.status, 0, up.stderr);
    const ps = compose(['ps', '-a', '--format', 'json']).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)) as Array<{ Service: string; State: string; ExitCode: number; Health: string }>;
    const byService = Object.fromEntries(ps.map((p) => [p.Service, p]));
    assert.equal(byService.web?.State, 'running');
    assert.equal(byService.cache?.State, 'running');
    assert.equal(byService.cache?.Health, 'healthy');
    assert.equal(byService.migrate?.State, 'exited');
    assert.equal(byService.migrate?.ExitCode, 0);
    const logs = compose(['logs', '--no-color', 'migrate']);
    assert.match(logs.stdout, /migrate-1\s+\| migrating\n.*migrate-1\s+\| done/s);
    const again = compose(['up', '-d']);
    assert.equal(again.status, 0, again.stderr);
    const down = compose(['down', '-v']);
    assert.equal(down.status, 0, down.stderr);
    assert.equal(engine.docker(['ps', '-aq']).stdout.trim(), '');
    assert.equal(engine.docker(['volume', 'ls', '-q']).stdout.trim(), '');
    assert.deepEqual(mountsUnder(engine.dataRoot), []);
  });
});
