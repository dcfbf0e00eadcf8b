import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The bench generator lives outside the compiled tree: found from the repository root.
const repoRoot = (() => {
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) throw new Error('repository root not found');
  }
})();
const { generateBig } = (await import(pathToFileURL(join(repoRoot, 'bench/gen-big.mjs')).href)) as { generateBig: (n: number) => string };
import { childPosition, keyPosition, selfPosition, tagOf, type Mapping } from '../../src/spec/tree.js';
import { parseComposeYamlFast } from '../../src/spec/yaml-fast.js';
import { compareReaders, type Outcome } from './yaml-fast-compare.js';
import { seeded, YamlGen } from './yaml-fast-gen.js';

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

function fast(text: string): Mapping {
  const tree = parseComposeYamlFast(text, 'f.yaml');
  assert.ok(tree, `the fast reader stepped aside on:\n${text}`);
  return tree;
}

describe('yaml-fast: the fast reader against the yaml-package reader', () => {
  const files = [...yamlFiles('test'), ...yamlFiles('samples')];

  it('finds the fixtures it compares', () => {
    assert.ok(files.length > 50, `only ${files.length} YAML fixtures found`);
  });

  it('reads every fixture in test/ and samples/ exactly as the full reader does, without stepping aside', () => {
    for (const file of files) {
      assert.equal(compareReaders(readFileSync(file, 'utf8'), file), 'same', file);
    }
  });

  it('reads the generated benchmark files (10, 100 and 1,000 services) the same', () => {
    for (const n of [10, 100, 1000]) assert.equal(compareReaders(generateBig(n)), 'same');
  });

  it('agrees on generated compose-like YAML (tree, positions, tags), or steps aside', () => {
    const seen: Record<Outcome, number> = { same: 0, fallback: 0, 'both-fail': 0 };
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        seen[compareReaders(new YamlGen(seeded(seed)).document())]++;
      }),
      { numRuns: 1500 },
    );
    // The generator must exercise the fast path, not only the fallback.
    assert.ok(seen.same > 300, `fast path taken only ${seen.same} times (${JSON.stringify(seen)})`);
    assert.ok(seen.fallback > 50 && seen['both-fail'] > 50, JSON.stringify(seen));
  });
});

describe('yaml-fast: scalars', () => {
  it('resolves plain scalars by the YAML 1.2 core schema, reading 0755 as octal', () => {
    const t = fast('a: true\nb: False\nc: yes\nd: ~\ne:\nf: 0755\ng: 08\nh: 0o17\ni: 0x1F\nj: 1e3\nk: .inf\nl: -.5\nm: 12:30\nn: null\no: +1\n');
    assert.deepEqual(t, { a: true, b: false, c: 'yes', d: null, e: null, f: 493, g: 8, h: 15, i: 31, j: 1000, k: Infinity, l: -0.5, m: '12:30', n: null, o: 1 });
    assert.ok(Number.isNaN(fast('x: .NaN\n').x));
  });

  it('keeps quoted scalars as strings and resolves their escapes', () => {
    const t = fast(`a: "true"\nb: '0755'\nc: "x\\ty\\n\\u00e9\\x41\\"\\\\"\nd: 'it''s'\ne: ""\n`);
    assert.deepEqual(t, { a: 'true', b: '0755', c: 'x\ty\né' + 'A"\\', d: "it's", e: '' });
  });

  it('reads literal and folded block scalars with chomping', () => {
    const t = fast('a: |\n  one\n    two\n\n  three\n\nb: >\n  one\n  two\n\n  three\n    deep\n  four\nc: |-\n  x\nd: |+\n  x\n\ne: >-\n  a\n  b\n');
    assert.deepEqual(t, { a: 'one\n  two\n\nthree\n', b: 'one two\nthree\n  deep\nfour\n', c: 'x', d: 'x\n\n', e: 'a b' });
  });

  it('reads a merge-tagged scalar as the core schema would and records the tag', () => {
    const t = fast('a: !reset null\nb: !override "8"\nc: !reset\n');
    assert.deepEqual(t, { a: null, b: 8, c: null });
    assert.equal(tagOf(t, 'a'), 'reset');
    assert.equal(tagOf(t, 'b'), 'override');
  });
});

describe('yaml-fast: structure', () => {
  it('expands aliases into fresh copies and merges << with explicit keys first', () => {
    const t = fast('x: &c\n  image: busybox\n  labels: {a: 1}\ns:\n  <<: *c\n  image: other\nt: *c\n') as Record<string, Mapping>;
    assert.deepEqual(t.s, { image: 'other', labels: { a: 1 } });
    assert.notEqual(t.t!.labels, t.x!.labels);
    assert.deepEqual(Object.keys(t.s!), ['image', 'labels']);
    assert.equal(childPosition(t.s!, 'labels'), undefined, 'merged entries carry no position');
  });

  it('records where keys, values and collections start', () => {
    const t = fast('services:\n  web:\n    ports:\n      - "80:80"\n    image: x # c\n') as Record<string, Record<string, Mapping>>;
    const web = t.services!.web!;
    assert.deepEqual(selfPosition(web), { file: 'f.yaml', line: 3, col: 5 });
    assert.deepEqual(keyPosition(web, 'image'), { file: 'f.yaml', line: 5, col: 5 });
    assert.deepEqual(childPosition(web, 'image'), { file: 'f.yaml', line: 5, col: 12 });
    assert.deepEqual(childPosition(web.ports as object, 0), { file: 'f.yaml', line: 4, col: 9 });
  });

  it('steps aside on what it does not read: tabs, CRLF, multi-documents, complex keys, other tags, duplicates', () => {
    for (const text of ['a:\n\tb: 1\n', 'a: 1\r\n', 'a: 1\n---\nb: 2\n', '? a\n: 1\n', 'a: !!str 1\n', 'a: 1\na: 2\n', '- a\n', 'a: *nope\n', 'a: "x\n  y"\n', 'a: b\n  c\n']) {
      assert.equal(parseComposeYamlFast(text, 'f'), undefined, JSON.stringify(text));
    }
  });

  it('reads an empty document as an empty mapping', () => {
    assert.deepEqual(fast(''), {});
    assert.deepEqual(fast('# only a comment\n'), {});
    assert.deepEqual(fast('---\n'), {});
  });
});
