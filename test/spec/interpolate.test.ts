import assert from 'node:assert/strict';
import { GantryError } from '../../src/common/errors.js';
import type { Warning } from '../../src/spec/context.js';
import { interpolateString, interpolateTree } from '../../src/spec/interpolate.js';
import { parseComposeYaml } from '../../src/spec/read.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', B: 'bee', N: '3' };
const lookup = (n: string) => env[n];
const run = (s: string) => interpolateString(s, lookup);

function fails(s: string): GantryError {
  try {
    run(s);
  } catch (e) {
    assert.ok(e instanceof GantryError);
    return e;
  }
  assert.fail(`expected ${s} to fail`);
}

describe('interpolation', () => {
  it('$VAR and ${VAR}', () => {
    assert.equal(run('$SET'), 'value');
    assert.equal(run('${SET}'), 'value');
    assert.equal(run('a-$SET-b'), 'a-value-b');
    assert.equal(run('${SET}${B}'), 'valuebee');
    assert.equal(run('$SET.txt'), 'value.txt');
  });

  it('unset variables become empty strings, with a warning naming the path', () => {
    const warnings: Warning[] = [];
    assert.equal(interpolateString('x${NOPE}y$NOPE2', lookup, ['services', 'web', 'image'], undefined, (w) => warnings.push(w)), 'xy');
    assert.equal(warnings[0]!.message, 'The "NOPE" variable is not set. Defaulting to a blank string.');
    assert.equal(warnings[0]!.path, 'services.web.image');
    assert.equal(warnings.length, 2);
  });

  const table: [string, string, string, string][] = [
    // expression, when set, when empty, when unset
    ['${X:-d}', 'value', 'd', 'd'],
    ['${X-d}', 'value', '', 'd'],
    ['${X:+a}', 'a', '', ''],
    ['${X+a}', 'a', 'a', ''],
  ];
  for (const [expr, whenSet, whenEmpty, whenUnset] of table) {
    it(`${expr} when set, empty and unset`, () => {
      assert.equal(run(expr.replace('X', 'SET')), whenSet);
      assert.equal(run(expr.replace('X', 'EMPTY')), whenEmpty);
      assert.equal(run(expr.replace('X', 'UNSET')), whenUnset);
    });
  }

  it('${VAR:?err} fails when unset or empty, ${VAR?err} only when unset', () => {
    assert.equal(run('${SET:?e}'), 'value');
    assert.equal(run('${EMPTY?e}'), '');
    assert.equal(fails('${EMPTY:?must be set}').message, 'required variable EMPTY is missing a value: must be set');
    assert.equal(fails('${UNSET?oops}').message, 'required variable UNSET is missing a value: oops');
    assert.equal(fails('${UNSET:?}').message, 'required variable UNSET is missing a value');
    assert.match(fails('${UNSET:?x}').hint ?? '', /\.env/);
  });

  it('nests expressions in defaults, alternatives and messages', () => {
    assert.equal(run('${UNSET:-${B}}'), 'bee');
    assert.equal(run('${UNSET:-${ALSO:-deep}}'), 'deep');
    assert.equal(run('${UNSET:-$B}'), 'bee');
    assert.equal(run('${SET:+[${B}]}'), '[bee]');
    assert.equal(run('${UNSET:-a:b}'), 'a:b');
    assert.equal(fails('${UNSET?need ${B}}').message, 'required variable UNSET is missing a value: need bee');
  });

  it('$$ is a literal dollar, also inside defaults', () => {
    assert.equal(run('$$SET'), '$SET');
    assert.equal(run('cost: $$5'), 'cost: $5');
    assert.equal(run('${UNSET:-$$x}'), '$x');
  });

  it('rejects malformed expressions with the valid forms as the hint', () => {
    for (const bad of ['${SET', '${}', '${SET/a/b}', '$1', 'a $ b', '${1A}']) {
      const e = fails(bad);
      assert.equal(e.kind, 'interpolation', bad);
      assert.match(e.message, /invalid interpolation format/);
      assert.match(e.hint ?? '', /\$\$ for a literal \$/);
    }
  });

  it('interpolates values of a tree, never keys, and errors carry file:line:col', () => {
    const tree = parseComposeYaml('services:\n  web:\n    image: "busybox:${N}"\n    labels:\n      $SET: ${B}\n    command: [echo, "${UNSET:?say why}"]\n', 'c.yaml');
    try {
      interpolateTree(tree, lookup, () => {});
      assert.fail('expected failure');
    } catch (e) {
      assert.ok(e instanceof GantryError);
      assert.equal(e.path, 'services.web.command[1]');
      assert.deepEqual(e.position, { file: 'c.yaml', line: 6, col: 21 });
    }
    const ok = parseComposeYaml('services:\n  web:\n    image: "busybox:${N}"\n    labels:\n      $SET: ${B}\n', 'c.yaml');
    interpolateTree(ok, lookup, () => {});
    assert.deepEqual(ok, { services: { web: { image: 'busybox:3', labels: { $SET: 'bee' } } } });
  });
});
