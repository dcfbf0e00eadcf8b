import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

const cli = resolve('dist/src/cli/main.js');
const name = `gtcli${randomBytes(3).toString('hex')}`;
const run = (...args: string[]) =>
  spawnSync(process.execPath, [cli, '-p', name, '-f', resolve('samples/hello/compose.yaml'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', WEB_PORT: '0' } });

describe('compose up -d / down (CLI)', function () {
  this.timeout(60_000);
  after(() => run('down', '-t', '0'));

  it('--dry-run prints the plan and creates nothing', () => {
    const r = run('up', '-d', '--dry-run');
    assert.equal(r.status, 0, r.stderr);
    const rows = [`network ${name}_default`, `container ${name}-cache-1`, `container ${name}-migrate-1`, `container ${name}-web-1`];
    const width = Math.max(...rows.map((x) => x.length));
    assert.equal(r.stdout, rows.map((x) => `${x.padEnd(width)}  create\n`).join(''));
  });

  it('up -d reports each step; down removes everything; exit codes 0', () => {
    const upped = run('up', '-d');
    assert.equal(upped.status, 0, upped.stderr);
    assert.match(upped.stderr, new RegExp(`Container ${name}-cache-1  Healthy`));
    assert.match(upped.stderr, new RegExp(`Container ${name}-web-1  Started`));
    const downed = run('down', '-t', '0');
    assert.equal(downed.status, 0, downed.stderr);
    assert.match(downed.stderr, new RegExp(`Network ${name}_default  Removed`));
  });
});
