// The generated validator is loaded with V8's code cache when one fits, and
// exactly as before when none does.

import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeCacheFile, loadWithCodeCache, writeCodeCache } from '../../src/spec/validator-code-cache.js';
import { scratchDir } from '../scratch-dir.js';

function generatedFile(body: string): string {
  const dir = scratchDir('gantry-codecache-');
  const file = join(dir, 'validator.cjs');
  writeFileSync(file, body);
  return file;
}

const VALIDATOR = `"use strict";
const { join } = require("node:path");
function validate(data) { return typeof data === "object" && data !== null && join("a", "b") === "a/b" && __filename.endsWith("validator.cjs"); }
module.exports = validate;
module.exports.default = validate;
`;

describe('validator code cache', () => {
  it('loads a CommonJS file as require would: exports, require, __filename', () => {
    const file = generatedFile(VALIDATOR);
    const { exports, cacheUsed } = loadWithCodeCache(file);
    assert.equal(cacheUsed, false);
    const validate = exports as (d: unknown) => boolean;
    assert.equal(validate({}), true);
    assert.equal(validate(1), false);
  });

  it('writes a cache after the warm-up and loads from it', () => {
    const file = generatedFile(VALIDATOR);
    let warmed = 0;
    const bytes = writeCodeCache(file, (exports) => {
      warmed++;
      assert.equal((exports as (d: unknown) => boolean)({}), true);
    });
    assert.equal(warmed, 1);
    assert.ok(bytes > 0 && existsSync(codeCacheFile(file)));
    const { exports, cacheUsed } = loadWithCodeCache(file);
    assert.equal(cacheUsed, true);
    assert.equal((exports as (d: unknown) => boolean)({}), true);
  });

  it('a file edited after the cache was made runs as edited, even at the same length', () => {
    const file = generatedFile(VALIDATOR);
    writeCodeCache(file, (exports) => (exports as (d: unknown) => boolean)({}));
    // Same length: V8 alone would take the old code for it.
    const edited = VALIDATOR.replace('typeof data === "object"', 'typeof data === "string"');
    assert.equal(edited.length, VALIDATOR.length);
    writeFileSync(file, edited);
    const changed = loadWithCodeCache(file);
    assert.equal(changed.cacheUsed, false);
    assert.equal((changed.exports as (d: unknown) => boolean)({}), false);
  });

  it('a cache V8 does not take (garbage after a fitting stamp) is set aside and the file compiles', () => {
    // A source this process has not compiled yet: V8 would answer a repeat from its own memory, cache or not.
    const file = generatedFile(VALIDATOR.replace('return typeof', `return ${Date.now()} > 0 && typeof`));
    const st = statSync(file);
    writeFileSync(codeCacheFile(file), Buffer.from(`${st.size} ${st.mtimeMs}\nnot a code cache`, 'latin1'));
    const garbage = loadWithCodeCache(file);
    assert.equal(garbage.cacheUsed, false);
    assert.equal((garbage.exports as (d: unknown) => boolean)({}), true);
  });
});
