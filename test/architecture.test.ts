// The design's map, enforced: which folder under src/ may import which
// (../shared/DESIGN.md, "The client half" and "The engine half"). The rules
// are written here so the test needs nothing outside the repository.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = findRoot(dirname(fileURLToPath(import.meta.url)));
const src = join(root, 'src');

/** Folder → the folders it may import (besides itself). `common` is shared pure helpers. */
const allowedFolders: Record<string, string[]> = {
  common: [],
  spec: ['common'],
  // The graph works on the loaded project's types (type-only imports of spec).
  graph: ['common', 'spec:type'],
  plan: ['common', 'spec', 'graph'],
  'engine-client': ['common'],
  watch: ['common'],
  project: ['common', 'spec', 'graph', 'plan', 'engine-client', 'watch'],
  cli: ['common', 'project'],
  engine: ['common', 'engine'],
  '.': ['project', 'common'],
};

/** Folder → the npm packages it may import (node: built-ins are always allowed). */
const allowedPackages: Record<string, string[]> = {
  common: [],
  spec: ['yaml', 'ajv'],
  graph: [],
  plan: [],
  'engine-client': ['dockerode', 'docker-modem', 'ssh2'],
  watch: ['chokidar', '@balena/dockerignore'],
  project: ['tar-stream', 'tar'],
  cli: ['commander', 'listr2'],
  engine: ['*'],
  '.': [],
};

interface ImportEdge {
  file: string;
  line: number;
  spec: string;
  typeOnly: boolean;
}

function findRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    try {
      statSync(join(d, 'package.json'));
      statSync(join(d, 'src'));
      return d;
    } catch {
      if (dirname(d) === d) throw new Error('repository root not found');
    }
  }
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const edges: ImportEdge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4];
    if (!spec) continue;
    const line = text.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0);
    edges.push({ file, line, spec, typeOnly: Boolean(m[2]) });
  }
  return edges;
}

/** `src/spec/read.ts` → `spec`; `src/engine/api/x.ts` → `engine`; `src/index.ts` → `.` */
function folderOf(file: string): string {
  const rel = relative(src, file).split(sep);
  return rel.length === 1 ? '.' : rel[0]!;
}

function violations(): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(src)) {
    const from = folderOf(file);
    const rules = allowedFolders[from];
    if (!rules) {
      problems.push(`${relative(root, file)}: folder "${from}" is not in the design's map; add it to DESIGN.md and this test`);
      continue;
    }
    for (const e of importsOf(file)) {
      const where = `${relative(root, e.file)}:${e.line}`;
      if (e.spec.startsWith('.')) {
        const target = resolve(dirname(file), e.spec);
        if (!target.startsWith(src + sep)) {
          problems.push(`${where}: imports ${e.spec}, outside src/`);
          continue;
        }
        const to = folderOf(target.replace(/\.js$/, '.ts'));
        if (to === from) continue;
        const ok = rules.includes(to) || (e.typeOnly && rules.includes(`${to}:type`));
        if (!ok) problems.push(`${where}: ${from}/ may not import ${to}/ (${e.spec})`);
      } else if (!e.spec.startsWith('node:')) {
        const pkg = e.spec.startsWith('@') ? e.spec.split('/').slice(0, 2).join('/') : e.spec.split('/')[0]!;
        const pkgs = allowedPackages[from] ?? [];
        if (!pkgs.includes('*') && !pkgs.includes(pkg)) problems.push(`${where}: ${from}/ may not import the package ${pkg}`);
      }
    }
  }
  return problems;
}

describe('architecture', () => {
  it('every import under src/ follows the design map', () => {
    assert.deepEqual(violations(), []);
  });

  it('the checker sees imports (it would catch a violation)', () => {
    const edges = importsOf(join(src, 'cli', 'main.ts'));
    assert.ok(edges.some((e) => e.spec === 'commander'), 'commander import found in cli/main.ts');
    assert.ok(importsOf(join(src, 'spec', 'index.ts')).length > 5);
  });

  it('the engine and the client half never import each other', () => {
    for (const file of sourceFiles(src)) {
      const from = folderOf(file);
      for (const e of importsOf(file)) {
        if (!e.spec.startsWith('.')) continue;
        const to = folderOf(resolve(dirname(file), e.spec).replace(/\.js$/, '.ts'));
        const engineSide = (f: string) => f === 'engine';
        const shared = (f: string) => f === 'common';
        if (shared(to) || shared(from) || to === from) continue;
        assert.equal(engineSide(from), engineSide(to), `${relative(root, file)}:${e.line} crosses the protocol line (${from} → ${to})`);
      }
    }
  });

  it('each folder under src/ opens with a header comment in its main file', () => {
    for (const name of readdirSync(src)) {
      const dir = join(src, name);
      if (!statSync(dir).isDirectory() || name === 'common') continue;
      const main = ['index.ts', 'main.ts'].map((f) => join(dir, f)).find((f) => {
        try {
          return statSync(f).isFile();
        } catch {
          return false;
        }
      });
      assert.ok(main, `src/${name}/ has an index.ts or main.ts`);
      assert.match(readFileSync(main, 'utf8'), /^(#!.*\n)?\/\/ \S/, `src/${name}/${main.split(sep).pop()} starts with a header comment`);
    }
  });
});
