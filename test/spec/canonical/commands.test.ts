import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GantryError } from '../../../src/common/errors.js';
import { canonicalize } from '../../../src/spec/canonical.js';
import { contextFor, FILE, plain, treeOf } from './yaml-tree.js';

const web = (yaml: string, ctx = contextFor()) => (plain(canonicalize(treeOf(`services:\n  web:\n${yaml}`), ctx).services) as any).web;

describe('canonical: command, entrypoint, healthcheck.test', () => {
  it('a command string is split into words like a shell would', () => {
    assert.deepEqual(web(`    command: npm run "dev server" --port='3000' a\\ b\n`).command, ['npm', 'run', 'dev server', '--port=3000', 'a b']);
  });

  it('an entrypoint string too; lists stay as written', () => {
    const s = web('    entrypoint: /docker-entrypoint.sh -v\n    command: ["echo", "$$HOME"]\n');
    assert.deepEqual(s.entrypoint, ['/docker-entrypoint.sh', '-v']);
    assert.deepEqual(s.command, ['echo', '$$HOME']);
  });

  it('an empty string clears the image command; null stays', () => {
    const s = web('    command: ""\n    entrypoint: null\n');
    assert.deepEqual(s.command, []);
    assert.equal(s.entrypoint, null);
  });

  it('hook commands are split too', () => {
    assert.deepEqual(web('    post_start:\n      - command: touch /ready\n').post_start, [{ command: ['touch', '/ready'] }]);
  });

  it('an unclosed quote is an error at the command', () => {
    assert.throws(
      () => web('    image: x\n    command: echo "oops\n'),
      (e: GantryError) =>
        e.kind === 'value' &&
        e.path === 'services.web.command' &&
        e.position?.file === FILE &&
        e.position.line === 4 &&
        /double quote is never closed/.test(e.message) &&
        /as a list/.test(e.hint ?? ''),
    );
  });

  it('shell operators stay literal words, with a warning', () => {
    const ctx = contextFor();
    assert.deepEqual(web('    command: echo a && echo b\n', ctx).command, ['echo', 'a', '&&', 'echo', 'b']);
    assert.equal(ctx.warnings.length, 1);
    assert.equal(ctx.warnings[0]!.path, 'services.web.command');
    assert.match(ctx.warnings[0]!.message, /"&&"/);
  });

  it('a healthcheck test string runs in the shell; a list stays', () => {
    assert.deepEqual(web('    healthcheck:\n      test: curl -f http://localhost || exit 1\n      retries: "3"\n      disable: "false"\n').healthcheck, {
      test: ['CMD-SHELL', 'curl -f http://localhost || exit 1'],
      retries: 3,
      disable: false,
    });
    assert.deepEqual(web('    healthcheck:\n      test: [CMD, pg_isready]\n').healthcheck.test, ['CMD', 'pg_isready']);
  });
});
