import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GantryError } from '../../../src/common/errors.js';
import { canonicalize } from '../../../src/spec/canonical.js';
import { positionAt, tagOf } from '../../../src/spec/tree.js';
import { contextFor, FILE, plain, treeOf } from './yaml-tree.js';

const web = (yaml: string) => (plain(canonicalize(treeOf(`services:\n  web:\n${yaml}`), contextFor()).services) as any).web;

describe('canonical: KEY=VALUE attributes', () => {
  it('environment list → mapping; a bare KEY stays null; = splits once', () => {
    assert.deepEqual(web('    environment:\n      - A=1\n      - B\n      - C=\n      - D=x=y\n').environment, {
      A: '1',
      B: null,
      C: '',
      D: 'x=y',
    });
  });

  it('environment mapping: numbers and booleans become text, null stays', () => {
    assert.deepEqual(web('    environment:\n      N: 1.5\n      T: true\n      U: null\n      S: s\n').environment, {
      N: '1.5',
      T: 'true',
      U: null,
      S: 's',
    });
  });

  it('a repeated key in a list: the last one wins', () => {
    assert.deepEqual(web('    environment: [A=1, A=2]\n').environment, { A: '2' });
  });

  it('a trailing space before = is an error at the entry', () => {
    assert.throws(
      () => canonicalize(treeOf('services:\n  web:\n    environment:\n      - OK=1\n      - "KEY =v"\n'), contextFor()),
      (e: GantryError) =>
        e.kind === 'value' &&
        e.path === 'services.web.environment[1]' &&
        e.position?.line === 5 &&
        /trailing space/.test(e.message) &&
        e.hint === 'write "KEY=v" without spaces around "="',
    );
  });

  it('labels, annotations, sysctls: a bare KEY is an empty value', () => {
    const s = web(
      '    labels: [a=1, b]\n    annotations: {x: 2, y: null}\n    sysctls: ["net.core.somaxconn=1024", "kernel.x"]\n',
    );
    assert.deepEqual(s.labels, { a: '1', b: '' });
    assert.deepEqual(s.annotations, { x: '2', y: '' });
    assert.deepEqual(s.sysctls, { 'net.core.somaxconn': '1024', 'kernel.x': '' });
  });

  it('build.args keeps null, build.labels and deploy.labels do not', () => {
    const s = web('    build:\n      context: .\n      args: [V=1, FROM_ENV]\n      labels: [l]\n    deploy:\n      labels: {n: 3}\n');
    assert.deepEqual(s.build.args, { V: '1', FROM_ENV: null });
    assert.deepEqual(s.build.labels, { l: '' });
    assert.deepEqual(s.deploy.labels, { n: '3' });
  });

  it('hook environments are environment mappings', () => {
    const s = web('    post_start:\n      - command: ["true"]\n        environment: [A=1, B]\n');
    assert.deepEqual(s.post_start[0].environment, { A: '1', B: null });
  });

  it('options mappings hold text', () => {
    const s = web('    logging:\n      options: {max-size: 10m, max-file: 3}\n    storage_opt: {size: 20}\n');
    assert.deepEqual(s.logging.options, { 'max-size': '10m', 'max-file': '3' });
    assert.deepEqual(s.storage_opt, { size: '20' });
  });

  it('entries made from a list keep the position of their line', () => {
    const doc = canonicalize(treeOf('services:\n  web:\n    environment:\n      - A=1\n      - B=2\n'), contextFor());
    assert.deepEqual(positionAt(doc, ['services', 'web', 'environment', 'B']), { file: FILE, line: 5, col: 9 });
    assert.deepEqual(positionAt(doc, ['services', 'web', 'environment', 'B'], true), { file: FILE, line: 5, col: 9 });
  });

  it('merge tags on the attribute and inside the mapping stay', () => {
    const doc = canonicalize(
      treeOf('services:\n  web:\n    environment: !override\n      - A=1\n    labels:\n      keep: x\n      gone: !reset null\n'),
      contextFor(),
    );
    const svc = (doc.services as any).web;
    assert.equal(tagOf(svc, 'environment'), 'override');
    assert.equal(tagOf(svc.labels, 'gone'), 'reset');
    assert.deepEqual(plain(svc.environment), { A: '1' });
  });
});
