// Stage 4: short syntax → canonical long forms, relative paths → absolute.
//
// One document at a time, right after schema validation, so that merge and
// extends only ever see long forms. The rules are a table keyed by path
// patterns (`services.*.ports` → one small function, as compose-go's
// transform/canonical.go): a new attribute is one row, one function, one
// test. A parent's rule runs before its children's, so `depends_on` is a
// mapping by the time `depends_on.*.required` is cast.
//
// Values are rewritten in place where they can be, so the positions and the
// `!reset`/`!override` tags kept beside the tree stay attached; a value that
// must be replaced (a string that becomes a mapping) is put back under the
// same key, and new list items remember the item they came from.
import type { Lookup, WarningSink } from './context.js';
import type { Mapping } from './tree.js';
import { build, additionalContexts, buildSsh } from './canonical/build.js';
import { toBoolean, toCount, toInteger, toNumber, toText, listItemsAsText, mapValuesAsText } from './canonical/casts.js';
import { healthcheckTest, shellCommand } from './canonical/commands.js';
import { dependsOn } from './canonical/depends-on.js';
import { device } from './canonical/devices.js';
import { envFiles, labelFiles } from './canonical/env-files.js';
import { extraHosts } from './canonical/extra-hosts.js';
import { fileMode, fileReference } from './canonical/file-refs.js';
import { hostPath } from './canonical/host-paths.js';
import { environmentMapping, labelMapping } from './canonical/key-values.js';
import { dnsServers, gpus, namesToMapping, stringOrList } from './canonical/lists.js';
import { expose, ports } from './canonical/ports.js';
import { resource, volumeResource } from './canonical/resources.js';
import type { Row } from './canonical/site.js';
import { volumes } from './canonical/volumes.js';
import { compileRules, walkRules } from './canonical/walk.js';

export interface CanonicalContext {
  /** Directory that relative paths in this document resolve against. */
  baseDir: string;
  lookup: Lookup;
  warn: WarningSink;
  /**
   * False for `config --no-interpolate`: strings may still hold `${VAR}`,
   * and those are passed through instead of being parsed or cast.
   * Absent means true.
   */
  interpolated?: boolean;
}

const ROWS: readonly Row[] = [
  // Ports and volumes.
  ['services.*.ports', ports],
  ['services.*.expose', expose],
  ['services.*.volumes', volumes],
  ['services.*.volumes[].read_only', toBoolean],
  ['services.*.volumes[].bind.create_host_path', toBoolean],
  ['services.*.volumes[].volume.nocopy', toBoolean],
  ['services.*.volumes[].volume.labels', labelMapping],

  // KEY=VALUE lists → mappings.
  ['services.*.environment', environmentMapping],
  ['services.*.build.args', environmentMapping],
  ['services.*.post_start[].environment', environmentMapping],
  ['services.*.pre_stop[].environment', environmentMapping],
  ['services.*.pre_start[].environment', environmentMapping],
  ['services.*.develop.watch[].exec.environment', environmentMapping],
  ['services.*.labels', labelMapping],
  ['services.*.annotations', labelMapping],
  ['services.*.sysctls', labelMapping],
  ['services.*.build.labels', labelMapping],
  ['services.*.deploy.labels', labelMapping],
  ['services.*.storage_opt', mapValuesAsText],
  ['services.*.logging.options', mapValuesAsText],
  ['services.*.networks.*.driver_opts', mapValuesAsText],

  // Dependencies.
  ['services.*.depends_on', dependsOn],
  ['services.*.depends_on.*.required', toBoolean],
  ['services.*.depends_on.*.restart', toBoolean],

  // Build.
  ['services.*.build', build],
  ['services.*.build.additional_contexts', additionalContexts],
  ['services.*.build.ssh', buildSsh],
  ['services.*.build.secrets[]', fileReference],
  ['services.*.build.secrets[].mode', fileMode],
  ['services.*.build.extra_hosts', extraHosts],
  ['services.*.build.provenance', toText],
  ['services.*.build.sbom', toText],
  ['services.*.build.no_cache', toBoolean],
  ['services.*.build.pull', toBoolean],
  ['services.*.build.privileged', toBoolean],
  ['services.*.build.ulimits.*', toInteger],
  ['services.*.build.ulimits.*.soft', toInteger],
  ['services.*.build.ulimits.*.hard', toInteger],

  // Commands.
  ['services.*.command', shellCommand],
  ['services.*.entrypoint', shellCommand],
  ['services.*.post_start[].command', shellCommand],
  ['services.*.pre_stop[].command', shellCommand],
  ['services.*.pre_start[].command', shellCommand],
  ['services.*.develop.watch[].exec.command', shellCommand],
  ['services.*.post_start[].privileged', toBoolean],
  ['services.*.pre_stop[].privileged', toBoolean],
  ['services.*.develop.watch[].exec.privileged', toBoolean],
  ['services.*.healthcheck.test', healthcheckTest],
  ['services.*.healthcheck.retries', toInteger],
  ['services.*.healthcheck.disable', toBoolean],

  // Files.
  ['services.*.env_file', envFiles],
  ['services.*.env_file[].required', toBoolean],
  ['services.*.label_file', labelFiles],
  ['services.*.secrets[]', fileReference],
  ['services.*.secrets[].mode', fileMode],
  ['services.*.configs[]', fileReference],
  ['services.*.configs[].mode', fileMode],
  ['services.*.develop.watch[].path', hostPath],
  ['services.*.develop.watch[].ignore', stringOrList],
  ['services.*.develop.watch[].include', stringOrList],

  // Networking and devices.
  ['services.*.networks', namesToMapping],
  ['services.*.models', namesToMapping],
  ['services.*.extra_hosts', extraHosts],
  ['services.*.dns', dnsServers],
  ['services.*.dns_search', stringOrList],
  ['services.*.tmpfs', stringOrList],
  ['services.*.devices[]', device],
  ['services.*.gpus', gpus],
  ['services.*.gpus[].count', toCount],
  ['services.*.deploy.resources.reservations.devices[].count', toCount],
  ['services.*.group_add', listItemsAsText],

  // Typed scalars that interpolation may have left as strings.
  ['services.*.scale', toInteger],
  ['services.*.deploy.replicas', toInteger],
  ['services.*.deploy.update_config.parallelism', toInteger],
  ['services.*.deploy.update_config.max_failure_ratio', toNumber],
  ['services.*.deploy.rollback_config.parallelism', toInteger],
  ['services.*.deploy.rollback_config.max_failure_ratio', toNumber],
  ['services.*.deploy.restart_policy.max_attempts', toInteger],
  ['services.*.deploy.placement.max_replicas_per_node', toInteger],
  ['services.*.deploy.resources.limits.cpus', toNumber],
  ['services.*.deploy.resources.limits.pids', toInteger],
  ['services.*.deploy.resources.reservations.cpus', toNumber],
  ['services.*.cpus', toNumber],
  ['services.*.cpu_count', toInteger],
  ['services.*.cpu_percent', toInteger],
  ['services.*.cpu_period', toInteger],
  ['services.*.cpu_quota', toInteger],
  ['services.*.cpu_rt_period', toInteger],
  ['services.*.cpu_rt_runtime', toInteger],
  ['services.*.cpu_shares', toInteger],
  ['services.*.oom_score_adj', toInteger],
  ['services.*.pids_limit', toInteger],
  ['services.*.blkio_config.weight', toInteger],
  ['services.*.blkio_config.weight_device[].weight', toInteger],
  ['services.*.ulimits.*', toInteger],
  ['services.*.ulimits.*.soft', toInteger],
  ['services.*.ulimits.*.hard', toInteger],
  ['services.*.init', toBoolean],
  ['services.*.privileged', toBoolean],
  ['services.*.read_only', toBoolean],
  ['services.*.stdin_open', toBoolean],
  ['services.*.tty', toBoolean],
  ['services.*.oom_kill_disable', toBoolean],
  ['services.*.attach', toBoolean],

  // Top-level resources.
  ['networks.*', resource],
  ['networks.*.labels', labelMapping],
  ['networks.*.driver_opts', mapValuesAsText],
  ['networks.*.ipam.options', mapValuesAsText],
  ['networks.*.ipam.config[].aux_addresses', mapValuesAsText],
  ['networks.*.external', toBoolean],
  ['networks.*.internal', toBoolean],
  ['networks.*.attachable', toBoolean],
  ['networks.*.enable_ipv4', toBoolean],
  ['networks.*.enable_ipv6', toBoolean],
  ['volumes.*', volumeResource],
  ['volumes.*.labels', labelMapping],
  ['volumes.*.driver_opts', mapValuesAsText],
  ['volumes.*.external', toBoolean],
  ['secrets.*', resource],
  ['secrets.*.file', hostPath],
  ['secrets.*.labels', labelMapping],
  ['secrets.*.driver_opts', mapValuesAsText],
  ['secrets.*.external', toBoolean],
  ['configs.*', resource],
  ['configs.*.file', hostPath],
  ['configs.*.labels', labelMapping],
  ['configs.*.external', toBoolean],
];

const RULES = compileRules(ROWS);

/** Rewrite one validated document in place into long forms. Keeps positions and merge tags. */
export function canonicalize(doc: Mapping, ctx: CanonicalContext): Mapping {
  walkRules(doc, RULES, { root: doc, path: [], ctx });
  return doc;
}
