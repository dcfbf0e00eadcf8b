// The build joins dist/src/spec into one module (bundleSpec in
// scripts/build-spec.ts), and that bundle is what `compose` runs. These
// tests bundle tsc's modules in dist afresh (beside them, as the build does)
// and hold the bundle to the modules it was made from: one module, the same
// projects, the package's own GantryError class.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleSpec } from '../../scripts/build-spec.js';
import type * as errors from '../../src/common/errors.js';
import * as modules from '../../src/spec/index.js';
import { packageRoot } from '../../src/spec/schema-validator.js';

const specDir = join(packageRoot(), 'dist', 'src', 'spec');
const fixtures = resolve('test/fixtures/load');

describe('the spec bundle', function () {
  this.timeout(60_000);
  // A name of its own, so the bundle the build installed stays as it is.
  const bundleFile = join(specDir, `index.test-bundle-${process.pid}.js`);
  let loader: typeof modules;

  before(async () => {
    assert.ok(existsSync(join(specDir, 'index.js')), `${specDir} has no index.js: run npx tsc -p tsconfig.json (or npm run build) first`);
    const made = await bundleSpec(specDir, bundleFile);
    assert.ok(made, 'esbuild is not installed: the build cannot bundle src/spec');
    loader = (await import(pathToFileURL(bundleFile).href)) as typeof modules;
  });

  after(() => {
    rmSync(bundleFile, { force: true });
    rmSync(`${bundleFile}.map`, { force: true });
  });

  it('is one module: it imports only node:, packages and modules outside spec/', () => {
    const text = readFileSync(bundleFile, 'utf8');
    assert.ok(text.startsWith('// Bundled by scripts/build-spec.ts'));
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
    assert.ok(specifiers.length > 0, 'the bundle imports nothing: the pattern no longer sees its imports');
    for (const s of specifiers) {
      assert.ok(!s.startsWith('./'), `the bundle still imports ${s} from spec/`);
      if (s.startsWith('.')) assert.match(s, /^\.\.\/common\//, `unexpected relative import ${s}`);
    }
  });

  it('loads every fixture project to the same YAML as the modules it was made from', async () => {
    const rendered = async (l: typeof modules, dir: string) => {
      const project = await l.loadProject({ workingDir: join(fixtures, dir), env: {} });
      return l.toYaml(l.projectToDocument(project, { escapeDollars: true }));
    };
    for (const dir of ['basic', 'envfile', 'extends', 'include', 'profiles']) {
      assert.equal(await rendered(loader, dir), await rendered(modules, dir), `fixture ${dir}`);
    }
  });

  it('throws the GantryError class of dist/src/common, not a copy of its own', async () => {
    // The module the rest of dist imports (under tsx, this file's own import would be the .ts source).
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
