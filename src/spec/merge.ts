// Stage 6: several compose files become one, by the Compose Specification's
// merge rules (spec 13-merge.md), on canonical long forms. The rules are a
// table keyed by path pattern, as compose-go's override/merge.go: a new
// attribute is one row. Mappings merge key by key unless a row says
// otherwise; sequences append unless a row says otherwise.

import { carry, childPosition, clearTag, clone, isMapping, setChildPosition, tagOf, type Mapping, type Node } from './tree.js';

type Merger = (base: Node, override: Node, path: string[]) => Node;

const replace: Merger = (_b, o) => clone(o);
const uniqueBy =
  (key: (n: Node) => string): Merger =>
  (b, o) => {
    if (!Array.isArray(b) || !Array.isArray(o)) return clone(o);
    const out: Node[] = [];
    const index = new Map<string, number>();
    const add = (item: Node, from: Node[], i: number) => {
      const k = key(item);
      const at = index.get(k);
      if (at === undefined) {
        index.set(k, out.length);
        setChildPosition(out, out.length, childPosition(from, i));
        out.push(clone(item));
      } else {
        out[at] = isMapping(out[at]) && isMapping(item) ? mergeNode(out[at], item, []) : clone(item);
        setChildPosition(out, at, childPosition(from, i));
      }
    };
    b.forEach((x, i) => add(x, b, i));
    o.forEach((x, i) => add(x, o, i));
    return out;
  };
const unique = uniqueBy((n) => JSON.stringify(n));
const field = (...names: string[]) => (n: Node) => (isMapping(n) ? names.map((f) => String(n[f] ?? '')).join('\u0000') : JSON.stringify(n));

const logging: Merger = (b, o) => {
  if (isMapping(b) && isMapping(o) && o.driver !== undefined && b.driver !== undefined && o.driver !== b.driver) return clone(o);
  return mergeNode(b, o, []);
};

/** Path pattern (`*` = any one key) → how that attribute merges. */
const RULES: [string, Merger][] = [
  ['services.*.command', replace],
  ['services.*.entrypoint', replace],
  ['services.*.healthcheck.test', replace],
  ['services.*.ports', uniqueBy(field('host_ip', 'published', 'target', 'protocol'))],
  ['services.*.volumes', uniqueBy(field('target'))],
  ['services.*.secrets', uniqueBy((n) => (isMapping(n) ? String(n.target ?? n.source) : String(n)))],
  ['services.*.configs', uniqueBy((n) => (isMapping(n) ? String(n.target ?? n.source) : String(n)))],
  ['services.*.env_file', uniqueBy(field('path'))],
  ['services.*.devices', uniqueBy((n) => (isMapping(n) ? String(n.target ?? n.source) : String(n)))],
  ['services.*.logging', logging],
  ['services.*.dns', unique],
  ['services.*.dns_search', unique],
  ['services.*.dns_opt', unique],
  ['services.*.expose', unique],
  ['services.*.external_links', unique],
  ['services.*.links', unique],
  ['services.*.cap_add', unique],
  ['services.*.cap_drop', unique],
  ['services.*.security_opt', unique],
  ['services.*.device_cgroup_rules', unique],
  ['services.*.profiles', unique],
  ['services.*.tmpfs', unique],
  ['services.*.extra_hosts', unique],
  ['services.*.label_file', unique],
  ['services.*.volumes_from', unique],
  ['services.*.group_add', unique],
  ['services.*.build.cache_from', unique],
  ['services.*.build.tags', unique],
  ['services.*.build.platforms', unique],
  ['services.*.deploy.placement.constraints', unique],
  ['services.*.develop.watch', uniqueBy(field('path', 'action'))],
];

const compiled = RULES.map(([p, m]) => ({ parts: p.split('.'), merge: m }));

function ruleFor(path: string[]): Merger | undefined {
  outer: for (const r of compiled) {
    if (r.parts.length !== path.length) continue;
    for (let i = 0; i < path.length; i++) if (r.parts[i] !== '*' && r.parts[i] !== path[i]) continue outer;
    return r.merge;
  }
  return undefined;
}

/** Merge `override` onto `base`; the result is a new tree, the inputs are left alone. */
/** Merge one attribute value of a service, by the same rules (extends uses it). */
export function mergeServices(base: Mapping, override: Mapping, name: string): Mapping {
  return mergeMapping(base, override, ['services', name]);
}

export function mergeDocuments(base: Mapping, override: Mapping): Mapping {
  return mergeMapping(base, override, []);
}

function mergeNode(base: Node, override: Node, path: string[]): Node {
  const rule = ruleFor(path);
  if (rule) return rule(base, override, path);
  if (isMapping(base) && isMapping(override)) return mergeMapping(base, override, path);
  if (Array.isArray(base) && Array.isArray(override)) {
    const out = [...base.map(clone), ...override.map(clone)];
    base.forEach((_, i) => setChildPosition(out, i, childPosition(base, i)));
    override.forEach((_, i) => setChildPosition(out, base.length + i, childPosition(override, i)));
    return out;
  }
  return clone(override);
}

function mergeMapping(base: Mapping, override: Mapping, path: string[]): Mapping {
  const out = clone(base);
  for (const [k, v] of Object.entries(override)) {
    const tag = tagOf(override, k);
    if (tag === 'reset') {
      delete out[k];
      clearTag(out, k);
      continue;
    }
    if (v === null && tag !== 'override' && Object.hasOwn(out, k)) continue; // `key:` with no value adds nothing
    if (tag === 'override' || !Object.hasOwn(out, k) || out[k] === null) {
      out[k] = clone(v);
    } else {
      out[k] = mergeNode(out[k]!, v, [...path, k]);
    }
    clearTag(out, k);
    setChildPosition(out, k, childPosition(override, k));
  }
  return carry(base, out);
}

/** A document's own tags settled: `!reset` keys removed, everything else kept as written. */
export function settleTags(doc: Mapping): Mapping {
  const walk = (n: Node): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (isMapping(n)) {
      for (const k of Object.keys(n)) {
        const tag = tagOf(n, k);
        if (tag === 'reset') delete n[k];
        if (tag) clearTag(n, k);
        if (Object.hasOwn(n, k)) walk(n[k]!);
      }
    }
  };
  walk(doc);
  return doc;
}
