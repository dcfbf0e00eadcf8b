import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GantryError } from '../../src/common/errors.js';
import { applyExtends } from '../../src/spec/extends.js';
import { parseComposeYaml } from '../../src/spec/read.js';
import type { Mapping } from '../../src/spec/tree.js';

const dir = resolve('test/fixtures/extends');
const load = async (path: string) => parseComposeYaml(readFileSync(path, 'utf8'), path);
const ctx = (file = join(dir, 'compose.yaml')) => ({ file, baseDir: dir, loadDocument: load, warn: () => {} });

async function extended(text: string): Promise<Mapping> {
  const doc = parseComposeYaml(text, join(dir, 'compose.yaml'));
  await applyExtends(doc, ctx());
  return doc.services as Mapping;
}

async function failure(text: string): Promise<GantryError> {
  try {
    await extended(text);
  } catch (e) {
    assert.ok(e instanceof GantryError);
    return e;
  }
  assert.fail('expected failure');
}

describe('extends', () => {
  it('in the same file: the extending service wins, mappings merge', async () => {
    const s = await extended('services:\n  base:\n    image: busybox\n    environment: {A: "1", B: "1"}\n    command: [a]\n  web:\n    extends: base\n    environment: {B: "2"}\n    command: [b]\n');
    assert.deepEqual(s.web, { image: 'busybox', environment: { A: '1', B: '2' }, command: ['b'] });
    assert.deepEqual(s.base, { image: 'busybox', environment: { A: '1', B: '1' }, command: ['a'] });
  });

  it('across files and through chains', async () => {
    const s = await extended('services:\n  web:\n    extends:\n      file: other/base.yaml\n      service: middle\n    cap_add: [NET_ADMIN, SYS_TIME]\n');
    assert.deepEqual(s.web, {
      image: 'busybox',
      environment: { LEVEL: 'middle', KEEP: '1' },
      cap_add: ['NET_ADMIN', 'SYS_TIME'],
      volumes: [{ type: 'bind', source: '/abs/conf', target: '/conf' }],
    });
  });

  it('names an unknown base service with a suggestion and its position', async () => {
    const e = await failure('services:\n  basic:\n    image: busybox\n  web:\n    extends: basc\n');
    assert.equal(e.kind, 'reference');
    assert.equal(e.message, 'service "web" extends an undefined service "basc"');
    assert.equal(e.hint, 'did you mean "basic"?');
    assert.equal(e.position?.line, 5);
  });

  it('reports cycles with the whole chain, across files too', async () => {
    const same = await failure('services:\n  a:\n    extends: b\n  b:\n    extends: a\n');
    assert.equal(same.kind, 'cycle');
    assert.equal(same.message, 'extends cycle: a -> b -> a');
    const across = await failure('services:\n  web:\n    extends:\n      file: loop.yaml\n      service: back\n');
    assert.equal(across.kind, 'cycle');
    assert.match(across.message, /^extends cycle: back \(loop\.yaml\) -> loop \(other\/base\.yaml\) -> back \(loop\.yaml\)$/);
  });

  it('a missing file is a file error at the extends entry', async () => {
    const e = await failure('services:\n  web:\n    extends:\n      file: nope.yaml\n      service: x\n');
    assert.equal(e.kind, 'file');
    assert.match(e.message, /nope\.yaml/);
    assert.equal(e.position?.line, 4);
  });
});
