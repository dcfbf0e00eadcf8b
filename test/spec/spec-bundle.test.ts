// The build joins dist/src/spec into one module (scripts/build-validator.ts),
// and that bundle is what `compose` runs. These tests hold it to the
// modules it was made from: the same projects, the same errors, one
// GantryError class.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as errors from '../../src/common/errors.js';
import * as modules from '../../src/spec/index.js';
import { packageRoot } from '../../src/spec/schema-validator.js';

const bundleFile = join(packageRoot(), 'dist', 'src', 'spec', 'index.js');
const fixtures = resolve('test/fixtures/load');

async function bundle(): Promise<typeof modules> {
  assert.ok(existsSync(bundleFile), `${bundleFile} is missing: run npm run build first`);
  return (await import(pathToFileURL(bundleFile).href)) as typeof modules;
}

async function rendered(loader: typeof modules, dir: string): Promise<string> {
  const project = await loader.loadProject({ workingDir: join(fixtures, dir), env: {} });
  return loader.toYaml(loader.projectToDocument(project, { escapeDollars: true }));
}

describe('the spec bundle in dist', () => {
  it('is one module: it imports only node:, packages and modules outside spec/', () => {
    assert.ok(existsSync(bundleFile), `${bundleFile} is missing: run npm run build first`);
    const text = readFileSync(bundleFile, 'utf8');
    assert.ok(text.startsWith('// Bundled by scripts/build-validator.ts'), `${bundleFile} is tsc's output, not the bundle: run npm run build (tsc alone undoes the bundle)`);
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
    assert.ok(specifiers.length > 0, 'the bundle imports nothing: the pattern no longer sees its imports');
    for (const s of specifiers) {
      assert.ok(!s.startsWith('./'), `the bundle still imports ${s} from spec/`);
      if (s.startsWith('.')) assert.match(s, /^\.\.\/common\//, `unexpected relative import ${s}`);
    }
  });

  it('loads every fixture project to the same YAML as the modules it was made from', async () => {
    const loader = await bundle();
    for (const dir of ['basic', 'envfile', 'extends', 'include', 'profiles']) {
      assert.equal(await rendered(loader, dir), await rendered(modules, dir), `fixture ${dir}`);
    }
  });

  it('throws the GantryError class of dist/src/common, not a copy of its own', async () => {
    const loader = await bundle();
    // The module the rest of dist imports (under tsx, this test's own import is the .ts source).
    const { GantryError, GantryErrors } = (await import(pathToFileURL(join(packageRoot(), 'dist', 'src', 'common', 'errors.js')).href)) as typeof errors;
    let caught: unknown;
    try {
      await loader.loadProject({ workingDir: fixtures, files: ['-'], stdin: 'services:\n  a:\n    image: x\n    ports: ["99999:80"]\n', env: {} });
    } catch (e) {
      caught = e;
    }
    const first = caught instanceof GantryErrors ? caught.errors[0] : caught;
    assert.ok(first instanceof GantryError, `expected a GantryError, got ${String(caught)}`);
    assert.match(first.message, /99999/);
  });
});
