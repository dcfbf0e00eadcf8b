import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'mocha';
import { canonicalize } from '../../../src/spec/canonical.js';
import { compileRules, walkRules } from '../../../src/spec/canonical/walk.js';
import type { Rule } from '../../../src/spec/canonical/site.js';
import { positionAt, tagOf, type Mapping } from '../../../src/spec/tree.js';
import { contextFor, FILE, plain, treeOf } from './yaml-tree.js';

describe('canonical: the rule table and its walk', () => {
  it('a replaced value keeps the merge tag on its parent key', () => {
    const doc = canonicalize(treeOf('services:\n  web:\n    ports: !override\n      - "80"\n    build: !reset ./x\n'), contextFor());
    const web = (doc.services as Mapping).web as Mapping;
    assert.equal(tagOf(web, 'ports'), 'override');
    assert.equal(tagOf(web, 'build'), 'reset');
    assert.deepEqual(plain(web.ports), [{ mode: 'ingress', target: 80, protocol: 'tcp' }]);
  });

  it('a mapping made from a string starts where the string was', () => {
    const doc = canonicalize(treeOf('services:\n  web:\n    build: ./app\n'), contextFor());
    assert.deepEqual(positionAt(doc, ['services', 'web', 'build', 'context']), { file: FILE, line: 3, col: 12 });
  });

  it('leaves extension fields and unknown attributes alone', () => {
    const text = 'x-common: &c\n  ports: ["80"]\nservices:\n  web:\n    x-ports: ["80"]\n    image: nginx\n';
    assert.deepEqual(plain(canonicalize(treeOf(text), contextFor())), plain(treeOf(text)));
  });

  it('parent rules run before child rules', () => {
    const seen: string[] = [];
    const parent: Rule = (v) => {
      seen.push('parent');
      return Array.isArray(v) ? { made: String(v[0]) } : v;
    };
    const child: Rule = (v, site) => {
      seen.push(`child ${site.path.join('.')}=${String(v)}`);
      return v;
    };
    const trie = compileRules([
      ['a.*.b', parent],
      ['a.*.b.made', child],
    ]);
    const doc: Mapping = { a: { one: { b: ['x'] } } };
    walkRules(doc, trie, { root: doc, path: [], ctx: contextFor() });
    assert.deepEqual(seen, ['parent', 'child a.one.b.made=x']);
    assert.deepEqual(doc, { a: { one: { b: { made: 'x' } } } });
  });

  it('two rules for one pattern are refused', () => {
    const r: Rule = (v) => v;
    assert.throws(() => compileRules([['a.b', r], ['a.b', r]]), /two canonical rules/);
  });

  it('a key named like an Object property is not mistaken for one', () => {
    const doc = canonicalize(treeOf('services:\n  constructor:\n    command: echo hi\n'), contextFor());
    assert.deepEqual(plain(doc), { services: { constructor: { command: ['echo', 'hi'] } } });
  });
});

describe('canonical: long forms are a fixed point', () => {
  it('canonicalizing the canonical form again changes nothing', () => {
    const text = readFileSync(resolve('test/fixtures/canonical/rich.yaml'), 'utf8');
    const once = plain(canonicalize(treeOf(text), contextFor())) as any;
    const twice = plain(canonicalize(JSON.parse(JSON.stringify(once)), contextFor()));
    assert.deepEqual(twice, once);
    assert.deepEqual(once.services.web.ports, [
      { mode: 'ingress', target: 3000, published: '3000', protocol: 'tcp' },
      { mode: 'ingress', target: 3001, published: '3001', protocol: 'tcp' },
      { mode: 'ingress', host_ip: '127.0.0.1', target: 9229, protocol: 'tcp' },
      { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
    ]);
  });
});
