// Where the compiled validator for schemas/compose-spec.json comes from.
//
// Compiling the schema with ajv costs ~200 ms (plus ~40 ms to load ajv), more
// than half of the budget of a whole `compose config`. So `npm run build`
// generates the validator ahead of time as standalone code
// (scripts/build-spec.ts → dist/src/spec/compose-validator.cjs), and
// loading it costs ~10 ms, less with its code cache (validator-code-cache.ts). The file is CommonJS because validateSchema is
// synchronous: an ES module cannot be loaded synchronously, a .cjs can
// (createRequire). Where there is no build (tests under tsx), the schema is
// compiled here on first use.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, Options } from 'ajv';
import { loadWithCodeCache } from './validator-code-cache.js';

/** A schema node as this project's schema writes them (only what the error wording reads). */
export interface SchemaNode {
  $ref?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  required?: string[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  definitions?: Record<string, SchemaNode>;
}

/** ajv's error, with what `verbose` adds. */
export type SchemaViolation = ErrorObject<string, Record<string, unknown>, unknown> & {
  parentSchema?: SchemaNode;
  data?: unknown;
};

export interface ComposeValidator {
  (data: unknown): boolean;
  errors?: SchemaViolation[] | null;
}

/**
 * The ajv options of both the build-time and the runtime validator. `verbose`
 * puts the schema node of each failure on the error: the error wording reads
 * the allowed keys and the forms of a oneOf from it.
 */
export const VALIDATOR_OPTIONS: Options = { allErrors: true, strict: false, verbose: true };

/** The generated validator's file name, beside this module in dist/src/spec/. */
export const GENERATED_VALIDATOR = 'compose-validator.cjs';

let validator: ComposeValidator | undefined;
let schema: SchemaNode | undefined;
let root: string | undefined;

/** Where the build writes the generated validator and where it is looked for: beside this module. */
export function generatedValidatorFile(): string {
  return fileURLToPath(new URL(`./${GENERATED_VALIDATOR}`, import.meta.url));
}

export function composeValidator(): ComposeValidator {
  if (validator) return validator;
  const generated = generatedValidatorFile();
  const require = createRequire(import.meta.url);
  if (existsSync(generated)) {
    validator = loadWithCodeCache(generated).exports as ComposeValidator;
  } else {
    // ajv is CommonJS; requiring it here keeps it off the path of builds that have the generated file.
    const { Ajv } = require('ajv') as typeof import('ajv');
    validator = new Ajv(VALIDATOR_OPTIONS).compile(composeSchema()) as ComposeValidator;
  }
  return validator;
}

/** The schema document itself (read once; needed only to word errors and to compile). */
export function composeSchema(): SchemaNode {
  schema ??= JSON.parse(readFileSync(composeSchemaFile(), 'utf8')) as SchemaNode;
  return schema;
}

export function composeSchemaFile(): string {
  return join(packageRoot(), 'schemas', 'compose-spec.json');
}

/**
 * The directory holding package.json above this module: `src/spec/` under
 * tsx and `dist/src/spec/` after a build both lead to the same root.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  root = dir;
  return dir;
}

/** `#/definitions/name` → the node; the schema only refers within itself. */
export function resolveRef(schema: SchemaNode, ref: string): SchemaNode | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = schema;
  for (const raw of ref.slice(2).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[seg] : undefined;
  }
  return typeof node === 'object' && node !== null ? (node as SchemaNode) : undefined;
}

/** A branch with its `$ref` followed; the branch's own title wins. */
export function deref(schema: SchemaNode, node: SchemaNode): SchemaNode {
  let out = node;
  for (let hops = 0; out.$ref && hops < 8; hops++) {
    const target = resolveRef(schema, out.$ref);
    if (!target) break;
    out = { ...target, title: out.title ?? target.title, description: out.description ?? target.description };
  }
  return out;
}
