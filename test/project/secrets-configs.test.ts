// Secrets and configs in service containers on a real engine: file-backed
// ones bind-mounted read-only, `environment:` and `content:` ones written in
// before the container starts, each at its target with its mode, uid and gid.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { connect, type EngineClient } from '../../src/engine-client/index.js';
import { down, exec, run, up } from '../../src/project/index.js';
import { scratchDir } from '../scratch-dir.js';

const COMPOSE = `
services:
  app:
    image: busybox:latest
    command: ["sleep", "300"]
    secrets:
      - db_password
      - source: api_token
        target: token
        mode: 0400
        uid: "100"
        gid: "101"
    configs:
      - app_conf
      - source: motd
        target: /etc/motd
      - source: from_env
        target: /tmp/conf/from-env.txt
        mode: 0664
secrets:
  db_password:
    file: ./db_password.txt
  api_token:
    environment: API_TOKEN
configs:
  app_conf:
    file: ./app.conf
  motd:
    content: "hello \${GREETING}"
  from_env:
    environment: CONF_TEXT
`;

describe('secrets and configs in containers', function () {
  this.timeout(120_000);
  const name = `gtsec${randomBytes(4).toString('hex')}`;
  const dir = scratchDir('gantry-secrets-');
  const env = { PATH: process.env.PATH ?? '', API_TOKEN: 's3cr3t', GREETING: 'there', CONF_TEXT: 'from the environment' };
  const load = (more: Record<string, string> = {}) => ({ workingDir: dir, projectName: name, env: { ...env, ...more } });
  let engine: EngineClient;
  const sh = async (script: string) => {
    const proc = await exec(load(), { service: 'app', command: ['sh', '-c', script], interactive: false });
    const [out, code] = await Promise.all([text(proc.stdout!), proc.exitCode]);
    assert.equal(code, 0, `${script}: exit ${code}`);
    return out;
  };

  before(async () => {
    writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
    writeFileSync(join(dir, 'db_password.txt'), 'hunter2\n');
    writeFileSync(join(dir, 'app.conf'), 'key=value\n');
    engine = await connect({});
    await up(load());
  });
  after(async () => {
    await down(load(), { volumes: true, removeOrphans: true, timeout: 0 }).catch(() => {});
  });

  it('bind-mounts file-backed ones read-only at /run/secrets/NAME and /NAME', async () => {
    assert.equal(await sh('cat /run/secrets/db_password /app_conf'), 'hunter2\nkey=value\n');
    assert.equal(await sh('echo x > /run/secrets/db_password 2>/dev/null && echo writable || echo read-only'), 'read-only\n');
  });

  it('writes environment and content ones in, with mode 0444 unless set (group-writable kept: no umask), and the uid and gid asked for', async () => {
    assert.equal(await sh('cat /run/secrets/token; echo; stat -c "%a %u %g" /run/secrets/token'), 's3cr3t\n400 100 101\n');
    assert.equal(await sh('cat /etc/motd; echo; stat -c "%a %u %g" /etc/motd'), 'hello there\n444 0 0\n');
    assert.equal(await sh('cat /tmp/conf/from-env.txt; echo; stat -c "%a" /tmp/conf/from-env.txt /tmp'), 'from the environment\n664\n1777\n');
  });

  it('gives one-off containers the same files', async () => {
    const proc = await run(load(), { service: 'app', noDeps: true, rm: true, command: ['cat', '/run/secrets/token', '/etc/motd'], interactive: false });
    const [out, code] = await Promise.all([text(proc.stdout!), proc.exitCode]);
    assert.equal(code, 0);
    assert.equal(out, 's3cr3thello there');
  });

  it('refuses, before creating anything, a secret whose variable is not set', async () => {
    const other = `${name}x`;
    const { API_TOKEN: _unset, ...without } = env;
    await assert.rejects(up({ workingDir: dir, projectName: other, env: without }), /environment variable API_TOKEN required by secret "api_token" of service "app" is not set/);
    assert.deepEqual(await engine.containers.list({ all: true, filters: { name: [`${other}-app`] } }), []);
    assert.deepEqual(await engine.networks.list({ filters: { name: [`${other}_default`] } }), []);
    await down({ workingDir: dir, projectName: other, env: without }, { timeout: 0 }).catch(() => {});
  });
});
