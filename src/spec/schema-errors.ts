// ajv's findings → GantryErrors in compose words: "mapping" and "sequence",
// the tree path of the offending node and where it is written, and what
// would be right. A oneOf (short or long syntax, list or mapping) that fails
// is reported once, for the form the user evidently meant.

import { GantryError } from '../common/errors.js';
import { closest } from '../common/suggest.js';
import { formatPath, isMapping, pathFromPointer, positionAt, tagOf, type Mapping, type Node, type Path, type PathSegment } from './tree.js';
import { formatPlace, nearestPlaces } from './schema-key-places.js';
import { composeSchema, deref, type SchemaNode, type SchemaViolation } from './schema-validator.js';
import { admits, article, joinOr, kindOf, kindWord, listForms, show, stripAnchors, typeList, type ValueKind } from './schema-words.js';

/** A oneOf that no form fits, kept as one finding in place of its branches' noise. */
interface NoFormFits {
  keyword: 'forms';
  instancePath: string;
  data: unknown;
  forms: SchemaNode[];
}

type Finding = SchemaViolation | NoFormFits;

function isNoFormFits(f: Finding): f is NoFormFits {
  return 'forms' in f;
}

export function schemaErrors(tree: Mapping, violations: readonly SchemaViolation[]): GantryError[] {
  const schema = composeSchema();
  const findings = collapseAlternatives(violations, schema);
  const errors: { error: GantryError; order: number }[] = [];
  const seen = new Set<string>();
  findings.forEach((f, order) => {
    if (insideReset(tree, f)) return;
    const error = describe(f, tree, schema);
    const key = `${error.path}\u0000${error.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    errors.push({ error, order });
  });
  // In file order, so the list reads top to bottom like the file.
  errors.sort((a, b) => compareByPosition(a.error, b.error) || a.order - b.order);
  return errors.map((e) => e.error);
}

/**
 * Replace each failed oneOf/anyOf and the errors of its branches by what
 * matters: the errors of the branch whose type fits the value (a mapping is
 * checked as the long syntax), or, when no branch fits, one finding that
 * lists the allowed forms. Outer alternatives are settled before inner ones.
 */
function collapseAlternatives(violations: readonly SchemaViolation[], schema: SchemaNode): Finding[] {
  const findings: (Finding | undefined)[] = [...violations];
  const alternatives = violations
    .map((v, index) => ({ v, index }))
    .filter(({ v }) => v.keyword === 'oneOf' || v.keyword === 'anyOf')
    // ajv reports an alternative after its branches' errors: outer ones come later.
    .sort((a, b) => depth(a.v.instancePath) - depth(b.v.instancePath) || b.index - a.index);

  for (const { v, index } of alternatives) {
    if (findings[index] !== v) continue;
    const at = v.instancePath;
    const passing = v.params.passingSchemas;
    if (Array.isArray(passing)) continue; // more than one form fits: leave ajv's finding
    const kind = kindOf(v.data);
    const forms = (v.parentSchema?.oneOf ?? v.parentSchema?.anyOf ?? []).map((b) => deref(schema, b));
    const fitting = forms.some((f) => admits(f.type, kind));
    let remaining = 0;
    findings.forEach((f, i) => {
      if (!f || i === index || !within(f.instancePath, at)) return;
      if (!fitting || (f.instancePath === at && !fromFittingForm(f, kind))) findings[i] = undefined;
      else remaining++;
    });
    findings[index] = fitting && remaining > 0 ? undefined : { keyword: 'forms', instancePath: at, data: v.data, forms };
  }
  return findings.filter((f): f is Finding => f !== undefined && f.keyword !== 'propertyNames');
}

/** An error at the alternative's own node that a branch fitting `kind` produced. */
function fromFittingForm(f: Finding, kind: ValueKind): boolean {
  if (isNoFormFits(f)) return true;
  if (f.propertyName !== undefined) return true; // about a key: only mapping forms check keys
  if (f.keyword === 'type') return false;
  return admits(f.parentSchema?.type, kind);
}

function describe(f: Finding, tree: Mapping, schema: SchemaNode): GantryError {
  const at = pathFromPointer(f.instancePath, tree);
  const where = formatPath(at) || 'the top level';
  const fail = (path: Path, message: string, hint: string | undefined, useKey = false) =>
    new GantryError('schema', message, { path: formatPath(path), position: positionAt(tree, path, useKey), hint });

  if (isNoFormFits(f)) {
    return fail(at, `${where} must be ${listForms(f.forms)}, got ${article(kindWord(kindOf(f.data)))}`, undefined);
  }
  const node = f.parentSchema ?? {};
  const p = f.params;
  switch (f.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      if (key === '') return fail(at, `empty key in ${where}`, 'give the key a name');
      const path = [...at, key];
      const message = at.length === 0 ? `unknown top-level key "${key}"` : `unknown key "${key}" in ${where}`;
      return fail(path, message, unknownKeyHint(key, node, at, schema), true);
    }
    case 'pattern': {
      if (f.propertyName !== undefined) {
        const rule = stripAnchors(String(p.pattern));
        const path = [...at, f.propertyName];
        return fail(path, `invalid name "${f.propertyName}" in ${where}: names must match ${rule}`, node.description, true);
      }
      return fail(at, `${where} has an invalid value ${show(f.data)}`, node.description ?? `it must match ${stripAnchors(String(p.pattern))}`);
    }
    case 'type': {
      const expected = typeList(node.type ?? String(p.type).split(','));
      return fail(at, `${where} must be ${expected}, got ${article(kindWord(kindOf(f.data)))}`, typeHint(node, f.data));
    }
    case 'enum': {
      const allowed = (node.enum ?? (p.allowedValues as unknown[]) ?? []).map(String);
      const near = typeof f.data === 'string' ? closest(f.data, allowed) : undefined;
      const rule = allowed.length === 1 ? `be "${allowed[0]}"` : `be one of ${allowed.join(', ')}`;
      return fail(at, `${where} must ${rule}; got ${show(f.data)}`, near !== undefined && allowed.length > 1 ? `did you mean "${near}"?` : undefined);
    }
    case 'required': {
      const key = String(p.missingProperty);
      return fail(at, `${where} is missing the required key "${key}"`, requiredHint(key, node, schema));
    }
    case 'minimum':
    case 'maximum': {
      const bound = f.keyword === 'minimum' ? 'at least' : 'at most';
      return fail(at, `${where} must be ${bound} ${String(p.limit)}, got ${show(f.data)}`, node.description);
    }
    case 'uniqueItems': {
      // ajv's i and j come in either order depending on the item types.
      const later = Math.max(Number(p.i), Number(p.j));
      const earlier = Math.min(Number(p.i), Number(p.j));
      return fail([...at, later], `${where} lists the same entry twice: [${earlier}] and [${later}]`, 'remove one of them');
    }
    case 'oneOf':
    case 'anyOf':
      return fail(at, `${where} fits more than one of its forms`, 'write it so that only one form applies');
    default:
      return fail(at, `${where} ${f.message ?? 'is invalid'}`, undefined);
  }
}

function unknownKeyHint(key: string, node: SchemaNode, at: readonly PathSegment[], schema: SchemaNode): string | undefined {
  const allowed = Object.keys(node.properties ?? {});
  const extensible = Object.hasOwn(node.patternProperties ?? {}, '^x-');
  const near = closest(key, allowed);
  const places = nearestPlaces(schema, key, at).slice(0, 3);
  const belongs = places.length > 0 ? `"${key}" belongs in ${joinOr(places.map(formatPlace))}` : undefined;
  if (near !== undefined) return belongs ? `did you mean "${near}"? (${belongs})` : `did you mean "${near}"?`;
  if (belongs) return belongs;
  const custom = extensible ? '; custom keys must start with "x-"' : '';
  if (allowed.length === 0) return extensible ? 'only keys starting with "x-" are allowed here' : undefined;
  if (allowed.length <= 12) return `allowed keys: ${allowed.join(', ')}${custom}`;
  return `see the Compose Specification for the keys allowed here${custom}`;
}

function requiredHint(key: string, node: SchemaNode, schema: SchemaNode): string {
  const prop = node.properties?.[key] ? deref(schema, node.properties[key]!) : undefined;
  if (prop?.enum) return `add ${key}: one of ${prop.enum.map(String).join(', ')}`;
  if (prop?.description) return `add ${key} (${prop.description})`;
  return `add ${key}`;
}

function typeHint(node: SchemaNode, data: unknown): string | undefined {
  const wanted = Array.isArray(node.type) ? node.type : [node.type];
  if (data === null) return 'give it a value, or remove the key';
  if (wanted.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) {
    return 'put the value in quotes so YAML reads it as a string';
  }
  return node.description;
}

/**
 * Whether the finding is about a value written with `!reset`: the merge
 * removes such values whatever they hold (`image: !reset null`), as
 * compose-go drops them before it validates.
 */
function insideReset(tree: Mapping, f: Finding): boolean {
  const path = pathFromPointer(f.instancePath, tree);
  if (!isNoFormFits(f)) {
    if (f.keyword === 'additionalProperties') path.push(String(f.params.additionalProperty));
    else if (f.propertyName !== undefined) path.push(f.propertyName);
  }
  let cur: Node | undefined = tree;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) return false;
    if (tagOf(cur, seg) === 'reset') return true;
    cur = Array.isArray(cur) ? cur[seg as number] : isMapping(cur) ? cur[seg as string] : undefined;
  }
  return false;
}

// --- plumbing ---

function depth(pointer: string): number {
  let n = 0;
  for (const c of pointer) if (c === '/') n++;
  return n;
}

function within(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

function compareByPosition(a: GantryError, b: GantryError): number {
  const pa = a.position;
  const pb = b.position;
  if (!pa || !pb) return pa ? -1 : pb ? 1 : 0;
  if (pa.file !== pb.file) return 0;
  return pa.line - pb.line || pa.col - pb.col;
}
