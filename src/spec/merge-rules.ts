// How each attribute merges when one compose document is laid over another
// (`-f a.yaml -f b.yaml`, and a service over the one it `extends`). One row
// per attribute, keyed by a path pattern (`*` = any one key), as compose-go's
// override/merge.go and override/uncity.go. Attributes without a row merge
// the default way: mappings key by key, sequences append, scalars replace.
//
// The inputs are canonical long forms (canonical.ts), so a row never has to
// reconcile `"80:80"` with `{target: 80, published: "80"}`.

import { isMapping, type Node } from './tree.js';

/** The identity of a sequence item: items with the same identity are one. */
export type ItemKey = (item: Node) => string;

export type MergeRule =
  /** The later value replaces the earlier one whole (command lines). */
  | { kind: 'replace' }
  /**
   * A mapping of KEY → value where a later entry always wins, even a bare
   * `KEY` (null): compose-go merges these as `KEY=VALUE` lists.
   */
  | { kind: 'entries' }
  /**
   * A sequence whose items are unique by `key`: a later item replaces the
   * earlier one with the same key where that one stood, others append.
   * `mergeSame` merges the two mappings instead of replacing.
   */
  | { kind: 'unique'; key: ItemKey; mergeSame?: boolean }
  /** Options merge only while the driver stays the same. */
  | { kind: 'logging' };

const text = (n: Node): string => (typeof n === 'string' ? n : JSON.stringify(n));
const field = (item: Node, name: string): Node | undefined => (isMapping(item) ? item[name] : undefined);

/** The whole value is the identity (`cap_add: [NET_ADMIN]`). */
const whole: ItemKey = text;

/** `KEY=VALUE` items are one per KEY, as compose-go's keyValueIndexer. */
const beforeEquals: ItemKey = (n) => {
  if (typeof n !== 'string') return text(n);
  const eq = n.indexOf('=');
  return eq < 0 ? n : n.slice(0, eq);
};

const byField =
  (name: string, fallback?: (item: Node) => string | undefined): ItemKey =>
  (n) => {
    const v = field(n, name);
    if (v !== undefined && v !== null) return String(v);
    return fallback?.(n) ?? text(n);
  };

// Two ports are the same binding when they agree on all four; an absent
// host address is the wildcard one, as in compose-go's portIndexer.
const portKey: ItemKey = (n) => {
  if (!isMapping(n)) return text(n);
  return `${String(n.host_ip ?? '0.0.0.0')}:${String(n.published ?? '')}:${String(n.target)}/${String(n.protocol ?? 'tcp')}`;
};

// A secret or config without a target lands at its default place, so it
// clashes with one that names that place explicitly.
const mountedAt = (dir: string): ItemKey => byField('target', (n) => (isMapping(n) && n.source !== undefined ? `${dir}/${String(n.source)}` : undefined));

const replace: MergeRule = { kind: 'replace' };
const entries: MergeRule = { kind: 'entries' };
const unique = (key: ItemKey, mergeSame = false): MergeRule => ({ kind: 'unique', key, mergeSame });

export const MERGE_RULES: readonly (readonly [string, MergeRule])[] = [
  // Command lines are one value each (13-merge.md, "Shell commands").
  ['services.*.command', replace],
  ['services.*.entrypoint', replace],
  ['services.*.healthcheck.test', replace],
  // compose-go's mergeUlimit: a limit named again is the later one whole.
  ['services.*.ulimits.*', replace],

  // KEY → value mappings.
  ['services.*.environment', entries],
  ['services.*.labels', entries],
  ['services.*.annotations', entries],
  ['services.*.sysctls', entries],
  ['services.*.storage_opt', entries],
  ['services.*.build.args', entries],
  ['services.*.build.labels', entries],
  ['services.*.build.additional_contexts', entries],
  ['services.*.build.ssh', entries],
  ['services.*.deploy.labels', entries],
  ['services.*.logging.options', entries],
  ['networks.*.labels', entries],
  ['volumes.*.labels', entries],
  ['secrets.*.labels', entries],
  ['configs.*.labels', entries],

  // Unique resources (13-merge.md): same key → the later one.
  ['services.*.ports', unique(portKey)],
  ['services.*.volumes', unique(byField('target'))],
  ['services.*.secrets', unique(mountedAt('/run/secrets'))],
  ['services.*.configs', unique(mountedAt(''))],
  ['services.*.devices', unique(byField('target', (n) => (isMapping(n) && n.source !== undefined ? String(n.source) : undefined)))],
  ['services.*.env_file', unique(byField('path'))],
  // 05-services.md treats these as mappings keyed by the device path.
  ['services.*.blkio_config.device_read_bps', unique(byField('path'))],
  ['services.*.blkio_config.device_read_iops', unique(byField('path'))],
  ['services.*.blkio_config.device_write_bps', unique(byField('path'))],
  ['services.*.blkio_config.device_write_iops', unique(byField('path'))],
  ['services.*.blkio_config.weight_device', unique(byField('path'))],
  ['networks.*.ipam.config', unique(byField('subnet'), true)],

  // Sets of values (compose-go's EnforceUnicity list).
  ['services.*.cap_add', unique(beforeEquals)],
  ['services.*.cap_drop', unique(beforeEquals)],
  ['services.*.dns', unique(beforeEquals)],
  ['services.*.dns_opt', unique(beforeEquals)],
  ['services.*.dns_search', unique(beforeEquals)],
  ['services.*.expose', unique(whole)],
  ['services.*.links', unique(beforeEquals)],
  ['services.*.profiles', unique(beforeEquals)],
  ['services.*.tmpfs', unique(beforeEquals)],
  ['services.*.build.tags', unique(beforeEquals)],
  ['services.*.networks.*.aliases', unique(beforeEquals)],
  ['services.*.networks.*.link_local_ips', unique(beforeEquals)],
  // compose-go's mergeExtraHosts: an entry already there is not repeated.
  ['services.*.extra_hosts', unique(whole)],
  ['services.*.build.extra_hosts', unique(whole)],
  // 05-services.md, extends: "duplicates resulting from the merge are removed".
  ['services.*.security_opt', unique(whole)],
  ['services.*.external_links', unique(whole)],
  ['services.*.device_cgroup_rules', unique(whole)],
  ['services.*.deploy.placement.constraints', unique(whole)],
  ['services.*.deploy.placement.preferences', unique(whole)],
  ['services.*.deploy.resources.reservations.generic_resources', unique(whole)],

  ['services.*.logging', { kind: 'logging' }],
];

/** The table as a trie of path segments, so a merge finds its row as it descends. */
export interface RuleTrie {
  rule?: MergeRule;
  keys?: Map<string, RuleTrie>;
  /** `*`: any key (an explicit key wins over it). */
  any?: RuleTrie;
}

export function compileMergeRules(rows: readonly (readonly [string, MergeRule])[]): RuleTrie {
  const root: RuleTrie = {};
  for (const [pattern, rule] of rows) {
    let node = root;
    for (const seg of pattern.split('.')) {
      if (seg === '*') node = node.any ??= {};
      else {
        node.keys ??= new Map();
        let next = node.keys.get(seg);
        if (!next) node.keys.set(seg, (next = {}));
        node = next;
      }
    }
    if (node.rule) throw new Error(`two merge rules for ${pattern}`);
    node.rule = rule;
  }
  return root;
}

export function childTrie(trie: RuleTrie | undefined, key: string): RuleTrie | undefined {
  if (!trie) return undefined;
  return trie.keys?.get(key) ?? trie.any;
}
