// The complete reader: the `yaml` package parses, and this file walks its
// node tree itself (rather than calling toJS) so positions are recorded in
// the same pass, aliases are expanded into fresh copies (later stages rewrite
// the tree in place and must not change two places at once), and merge keys
// follow YAML 1.1. It reads every YAML document and words every syntax
// error; yaml-fast.ts handles the common subset faster and defers to this.

import { createRequire } from 'node:module';
import type { Document, Node as YamlNode, YAMLMap } from 'yaml';
import { GantryError, type Position } from '../common/errors.js';
import { setChildPosition, setKeyPosition, setSelfPosition, setTag, type Mapping, type Node } from './tree.js';

const MERGE_TAGS: Record<string, 'reset' | 'override'> = { '!reset': 'reset', '!override': 'override' };

type YamlModule = typeof import('yaml');
let loaded: YamlModule | undefined;

/**
 * The `yaml` package is loaded on first use: most compose files take the
 * fast path, and loading the package costs a noticeable share of a
 * `compose config` run.
 */
function yamlModule(): YamlModule {
  return (loaded ??= createRequire(import.meta.url)('yaml') as YamlModule);
}

export function parseComposeYamlFull(text: string, file: string): Mapping {
  const { LineCounter, parseDocument, isScalar } = yamlModule();
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    merge: false, // merge keys are expanded below, with positions
    strict: true,
  });
  const at = (offset: number | undefined): Position => {
    const p = lines.linePos(offset ?? 0);
    return { file, line: p.line, col: p.col };
  };

  const failure = doc.errors[0];
  if (failure) throw syntaxError(failure.code, failure.message, at(failure.pos[0]), text);
  const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED' && !/!reset|!override/.test(w.message));
  if (unknownTag) {
    throw new GantryError('yaml', `unknown YAML tag: ${unknownTag.message.replace(/^Unresolved tag:\s*/, '')}`, {
      position: at(unknownTag.pos[0]),
      hint: 'compose files may use only the !reset and !override tags',
    });
  }

  const walker = new Walker(doc, at);
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return {};
  let tree: Node;
  try {
    tree = walker.node(root as YamlNode);
  } catch (e) {
    // A recursive alias can exhaust the stack before the depth guard trips (its frames vary with nesting).
    if (e instanceof RangeError) throw new GantryError('yaml', 'aliases nest too deeply (a recursive alias?)', { position: at((root as YamlNode).range?.[0]) });
    throw e;
  }
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    throw new GantryError('yaml', 'the top level of a compose file must be a mapping (services:, networks:, …)', {
      position: at((root as YamlNode).range?.[0]),
      hint: 'start the file with a key such as "services:"',
    });
  }
  return tree;
}

class Walker {
  private readonly y = yamlModule();

  constructor(
    private readonly doc: Document,
    private readonly at: (offset: number | undefined) => Position,
    private depth = 0,
  ) {}

  /**
   * Anchors seen so far in document order. The yaml package's Alias.resolve
   * searches the whole document per alias, which is quadratic on files that
   * use `<<: *common` in every service; an alias means the latest anchor of
   * that name before it, which this walk (in document order) knows.
   */
  private readonly anchors = new Map<string, YamlNode>();

  node(n: YamlNode | null | undefined): Node {
    if (n === null || n === undefined) return null;
    const anchor = (n as { anchor?: string }).anchor;
    if (anchor && this.depth === 0) this.anchors.set(anchor, n);
    const { isAlias, isMap, isScalar, isSeq } = this.y;
    if (isAlias(n)) {
      const target = this.anchors.get(n.source) ?? n.resolve(this.doc);
      if (!target) throw new GantryError('yaml', `unknown alias *${n.source}`, { position: this.at(n.range?.[0]), hint: `define the anchor &${n.source} before using it` });
      if (++this.depth > 10_000) throw new GantryError('yaml', 'aliases nest too deeply (a recursive alias?)', { position: this.at(n.range?.[0]) });
      try {
        return this.node(target as YamlNode);
      } finally {
        this.depth--;
      }
    }
    if (isScalar(n)) return (n as { tag?: string }).tag && MERGE_TAGS[(n as { tag?: string }).tag!] ? coreScalar(n.source) : scalarValue(n.value, typeof n.source === 'string' ? n.source : undefined);
    if (isSeq(n)) {
      const out: Node[] = [];
      setSelfPosition(out, this.at(n.range?.[0]));
      n.items.forEach((item, i) => {
        out.push(this.node(item as YamlNode));
        this.record(out, i, item as YamlNode);
      });
      return out;
    }
    if (isMap(n)) return this.mapping(n);
    return null;
  }

  private mapping(n: YAMLMap): Mapping {
    const out: Mapping = {};
    setSelfPosition(out, this.at(n.range?.[0]));
    const { isPair, isScalar } = this.y;
    const merged: Mapping[] = [];
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      if (isScalar(keyNode) && keyNode.value === '<<' && keyNode.source === '<<' && !keyNode.type?.startsWith('QUOTE')) {
        merged.push(...this.mergeSources(pair.value as YamlNode, keyNode));
        continue;
      }
      const key = this.keyOf(keyNode);
      out[key] = this.node(pair.value as YamlNode);
      setKeyPosition(out, key, this.at(keyNode?.range?.[0]));
      this.record(out, key, (pair.value as YamlNode) ?? keyNode);
    }
    // YAML 1.1 merge keys: explicit keys win; earlier merged maps win over later ones.
    for (const source of merged) {
      for (const [k, v] of Object.entries(source)) {
        if (Object.hasOwn(out, k)) continue;
        out[k] = v;
      }
    }
    return out;
  }

  private mergeSources(value: YamlNode | null, key: YamlNode): Mapping[] {
    const one = (v: YamlNode | null): Mapping => {
      const m = this.node(v);
      if (typeof m !== 'object' || m === null || Array.isArray(m)) {
        throw new GantryError('yaml', 'a merge key (<<) takes a mapping or a list of mappings', { position: this.at(v?.range?.[0] ?? key.range?.[0]), hint: 'write <<: *anchor, where &anchor names a mapping' });
      }
      return m;
    };
    if (this.y.isSeq(value)) return value.items.map((i) => one(i as YamlNode));
    return [one(value)];
  }

  private keyOf(k: YamlNode | null): string {
    if (k === null) return 'null';
    if (this.y.isScalar(k)) return k.value === null ? 'null' : String(k.value);
    throw new GantryError('yaml', 'mapping keys must be plain values, not mappings or lists', { position: this.at(k.range?.[0]) });
  }

  /** Position and merge tag of a child value. */
  private record(parent: object, key: string | number, value: YamlNode | null): void {
    if (!value) return;
    setChildPosition(parent, key, this.at(value.range?.[0]));
    const tag = (value as { tag?: string }).tag;
    if (tag && MERGE_TAGS[tag]) setTag(parent, key, MERGE_TAGS[tag]!);
  }
}

function scalarValue(v: unknown, source?: string): Node {
  // YAML 1.2 reads 0440 as decimal; compose files mean file modes (octal), as go-yaml reads them.
  if (typeof v === 'number' && source !== undefined && /^0[0-7]+$/.test(source)) return parseInt(source, 8);
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}

/** A tagged scalar is left as a string by the parser; read it as the core schema would. */
function coreScalar(source: unknown): Node {
  if (typeof source !== 'string') return scalarValue(source);
  if (/^(?:null|Null|NULL|~|)$/.test(source)) return null;
  if (/^(?:true|True|TRUE)$/.test(source)) return true;
  if (/^(?:false|False|FALSE)$/.test(source)) return false;
  if (/^[-+]?(?:\d+|\d*\.\d+)(?:[eE][-+]?\d+)?$/.test(source)) return Number(source);
  return source;
}

function syntaxError(code: string, message: string, position: Position, text: string): GantryError {
  const short = message.replace(/ at line \d+, column \d+.*$/s, '').replace(/;\s*please use.*$/s, '').replace(/:\s*$/, '');
  const all = text.split('\n');
  const line = all[position.line - 1] ?? '';
  // The parser notices an unclosed [ only where the value ends; find where it opened.
  const opened = all.slice(0, position.line).reverse().find((l) => (l.match(/\[/g)?.length ?? 0) > (l.match(/\]/g)?.length ?? 0));
  let hint: string | undefined;
  if (code === 'DUPLICATE_KEY') {
    return new GantryError('yaml', `duplicate key: ${short.replace(/^Map keys must be unique/, 'a key appears twice in this mapping')}`, { position, hint: 'remove or rename one of the two entries' });
  }
  if (/\t/.test(line.slice(0, Math.max(0, position.col)))) hint = 'YAML indentation must use spaces, not tabs';
  else if (opened !== undefined && /flow|\]/i.test(short)) hint = `close the [ opened in: ${opened.trim().slice(0, 80)}`;
  else if (code === 'BAD_INDENT' || code === 'MISSING_CHAR') hint = 'check the indentation: children must be indented more than their parent';
  else if (code === 'MULTIPLE_DOCS') hint = 'a compose file holds one YAML document; remove the extra ---';
  return new GantryError('yaml', `YAML syntax error: ${short}`, { position, hint: hint ?? (line.trim() ? `in: ${line.trim().slice(0, 80)}` : undefined) });
}
