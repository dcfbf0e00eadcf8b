import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const cli = resolve('dist/src/cli/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, '-f', resolve('samples/hello/compose.yaml'), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });

describe('compose graph (CLI)', () => {
  it('prints mermaid by default, with conditions on the edges', () => {
    const r = run('graph');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'flowchart TD\n    cache\n    migrate\n    web\n    web -->|healthy| cache\n    web -->|completed| migrate\n');
  });

  it('prints dot with --format dot and rejects other formats', () => {
    assert.match(run('graph', '--format', 'dot').stdout, /^digraph "hello" \{[\s\S]*"web" -> "cache" \[label="healthy"\];/);
    const bad = run('graph', '--format', 'png');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /use --format mermaid or --format dot/);
  });
});
