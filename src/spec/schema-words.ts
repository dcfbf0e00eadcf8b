// Values, types and forms in compose words: "a mapping", "a sequence", "an
// integer or a string", for schema error messages.

import type { SchemaNode } from './schema-validator.js';

export type ValueKind = 'mapping' | 'sequence' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

export function kindOf(v: unknown): ValueKind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'sequence';
  if (typeof v === 'object') return 'mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'string';
}

/** Whether a schema `type` accepts a value of this kind (no type accepts all). */
export function admits(type: string | string[] | undefined, kind: ValueKind): boolean {
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => t === jsonType(kind) || (t === 'number' && kind === 'integer'));
}

function jsonType(kind: ValueKind): string {
  return kind === 'mapping' ? 'object' : kind === 'sequence' ? 'array' : kind;
}

/** What a person calls a value of this kind; integers are numbers. */
export function kindWord(kind: ValueKind): string {
  return kind === 'integer' ? 'number' : kind;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a sequence',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'null',
};

export function typeList(type: string | string[]): string {
  const types = Array.isArray(type) ? type : [type];
  return joinOr(types.map((t) => TYPE_WORDS[t] ?? t));
}

/** `a number (container port), a string (short syntax) or a mapping (long syntax)`. */
export function listForms(forms: SchemaNode[]): string {
  const words: string[] = [];
  for (const f of forms) {
    const types = f.type === undefined ? [] : Array.isArray(f.type) ? f.type : [f.type];
    const own = types.map((t) => TYPE_WORDS[t] ?? t);
    if (own.length === 0) own.push('a value');
    const last = own.length - 1;
    if (f.title && f.title !== own[last]!.replace(/^an? /, '')) own[last] = `${own[last]} (${f.title})`;
    words.push(...own);
  }
  return joinOr(words);
}

export function joinOr(words: string[]): string {
  if (words.length <= 1) return words[0] ?? 'something else';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

export function article(word: string): string {
  if (word === 'null') return 'null';
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

export function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
}

export function stripAnchors(pattern: string): string {
  return pattern.replace(/^\^/, '').replace(/\$$/, '');
}
