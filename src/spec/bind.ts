// Stage 10: the checked tree → typed Project (durations, sizes as numbers).
//
// The tree is already canonical (long forms, absolute paths, defaults), so
// binding is mostly naming: each service gets its `name`, and the few
// attributes whose written form is text but whose meaning is a number are
// converted. Those attributes are listed once, in SERVICE_FIELDS below, as a
// tree of path patterns → codec; render.ts walks the same table backwards,
// so a new typed attribute is one row here and round-trips by construction.
//
// Conversion is copy-on-write: only the objects on the way to a converted
// value are copied, the rest of the Project shares the (discarded) tree.
// Every malformed value is reported, not just the first.

import { GantryError, GantryErrors } from '../common/errors.js';
import { BYTE_SIZE_HINT, readByteSize } from './byte-size.js';
import { DURATION_HINT, formatDuration, readDuration } from './duration.js';
import { formatPath, isMapping, positionAt, type Mapping, type Node, type PathSegment } from './tree.js';
import type { Project, ServiceConfig } from './types.js';

export interface BindInput {
  doc: Mapping;
  disabled: Mapping;
  name: string;
  workingDir: string;
  configFiles: string[];
  environment: Record<string, string>;
  profiles: string[];
}

type Reading = { ok: true; value: unknown } | { ok: false; problem: string };

const ok = (value: unknown): Reading => ({ ok: true, value });
const fail = (problem: string): Reading => ({ ok: false, problem });

/** One typed attribute: how its written form becomes a value, and back. */
export class FieldCodec {
  constructor(
    /** What the value is, for messages: "duration", "size". */
    readonly what: string,
    readonly hint: string,
    readonly bind: (written: Node) => Reading,
    /** Typed value → a form the Compose schema accepts at that place. */
    readonly render: (typed: unknown) => unknown,
  ) {}
}

/** Path patterns below a service; `*` is every item of a sequence. */
export interface FieldRules {
  [key: string]: FieldRules | FieldCodec;
}

function kindOf(v: Node): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a sequence';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

const duration = new FieldCodec(
  'duration',
  DURATION_HINT,
  (v) => {
    // compose-go reads a number as its decimal text: only 0 has no unit.
    if (typeof v === 'number') return v === 0 ? ok(0) : fail('a unit is missing after the number');
    if (typeof v !== 'string') return fail(`expected a duration, found ${kindOf(v)}`);
    const r = readDuration(v);
    if (!r.ok) return fail(r.problem);
    if (r.ns < 0) return fail('a duration cannot be negative');
    return ok(r.ns);
  },
  (ns) => (typeof ns === 'number' ? formatDuration(ns) : ns),
);

function bytesReader(allowUnlimited: boolean): (v: Node) => Reading {
  return (v) => {
    let bytes: number;
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) return fail('a size in bytes must be a whole number');
      bytes = v;
    } else if (typeof v === 'string') {
      const r = readByteSize(v);
      if (!r.ok) return fail(r.problem);
      bytes = r.bytes;
    } else return fail(`expected a size, found ${kindOf(v)}`);
    if (bytes < 0 && !(allowUnlimited && bytes === -1)) {
      return fail(allowUnlimited ? 'the only negative size allowed is -1 (unlimited)' : 'a size cannot be negative');
    }
    return ok(bytes);
  };
}

const asNumber = (n: unknown): unknown => n;

/** A byte size where the schema also takes a number (`mem_limit: 536870912`). */
const bytes = new FieldCodec('size', BYTE_SIZE_HINT, bytesReader(false), asNumber);
/** memswap_limit: -1 means unlimited swap. */
const swapBytes = new FieldCodec('size', `${BYTE_SIZE_HINT}; or -1 for unlimited swap`, bytesReader(true), asNumber);
/** A byte size where the schema takes only a string (`deploy.resources.*.memory`). */
const bytesText = new FieldCodec('size', BYTE_SIZE_HINT, bytesReader(false), (n) =>
  typeof n === 'number' ? String(n) : n,
);

const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

const cpus = new FieldCodec(
  'number of CPUs',
  'write a number of CPUs, a fraction allowed: 0.5, 1, 2.5',
  (v) => {
    if (typeof v !== 'number' && typeof v !== 'string') return fail(`expected a number, found ${kindOf(v)}`);
    const n = typeof v === 'number' ? v : DECIMAL.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isFinite(n)) return fail('it is not a number');
    if (n < 0) return fail('it cannot be negative');
    return ok(n);
  },
  asNumber,
);

function wholeNumber(min: number, max: number, hint: string): FieldCodec {
  return new FieldCodec(
    'number',
    hint,
    (v) => {
      if (typeof v !== 'number' && typeof v !== 'string') return fail(`expected a whole number, found ${kindOf(v)}`);
      const n = typeof v === 'number' ? v : /^[+-]?[0-9]+$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n)) return fail('it is not a whole number');
      if (n < min || n > max) return fail(max === Infinity ? `it must be at least ${min}` : `it must be between ${min} and ${max}`);
      return ok(n);
    },
    asNumber,
  );
}

const count = wholeNumber(0, Infinity, 'write a whole number, 0 or more');
const swappiness = wholeNumber(-1, 100, 'write a percentage from 0 to 100 (or -1 for the engine default)');

const fileMode = new FieldCodec(
  'file mode',
  'write the mode in octal as a string, e.g. "0440" or "0755", or as a number',
  (v) => {
    let mode: number;
    if (typeof v === 'number') mode = v;
    else if (typeof v === 'string' && /^[0-7]+$/.test(v)) mode = parseInt(v, 8);
    else if (typeof v === 'string') return fail('it is not an octal number');
    else return fail(`expected a file mode, found ${kindOf(v)}`);
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) return fail('a file mode is between 0 and 07777');
    return ok(mode);
  },
  // Octal text, as `docker compose config` prints modes; compose-go reads it back as octal.
  (m) => (typeof m === 'number' ? '0' + m.toString(8) : m),
);

const blkioLimits = { '*': { rate: bytes } };
const blkioIops = { '*': { rate: count } };

/** Every typed attribute of a service, by path below `services.<name>`. */
export const SERVICE_FIELDS: FieldRules = {
  blkio_config: {
    weight: count,
    weight_device: { '*': { weight: count } },
    device_read_bps: blkioLimits,
    device_write_bps: blkioLimits,
    device_read_iops: blkioIops,
    device_write_iops: blkioIops,
  },
  build: { shm_size: bytes, secrets: { '*': { mode: fileMode } } },
  configs: { '*': { mode: fileMode } },
  cpus,
  deploy: {
    resources: {
      limits: { cpus, memory: bytesText },
      reservations: { cpus, memory: bytesText },
    },
    restart_policy: { delay: duration, window: duration },
    rollback_config: { delay: duration, monitor: duration },
    update_config: { delay: duration, monitor: duration },
  },
  healthcheck: { interval: duration, timeout: duration, start_period: duration, start_interval: duration },
  mem_limit: bytes,
  mem_reservation: bytes,
  mem_swappiness: swappiness,
  memswap_limit: swapBytes,
  secrets: { '*': { mode: fileMode } },
  shm_size: bytes,
  stop_grace_period: duration,
  volumes: { '*': { tmpfs: { size: bytes, mode: fileMode } } },
};

interface BindContext {
  /** The tree positions are looked up in. */
  root: Mapping;
  /** Path of the service inside `root` (for positions). */
  rootPath: PathSegment[];
  /** Path of the service as the user sees it: `services.<name>`. */
  shownPath: PathSegment[];
  errors: GantryError[];
}

/** Convert the typed values under `value` following `rules`; copies only what changes. */
function bindFields(value: Node, rules: FieldRules | FieldCodec, at: PathSegment[], ctx: BindContext): unknown {
  if (rules instanceof FieldCodec) {
    const r = rules.bind(value);
    if (r.ok) return r.value;
    const written = typeof value === 'string' || typeof value === 'number' ? ` ${JSON.stringify(value)}` : '';
    ctx.errors.push(
      new GantryError('value', `invalid ${rules.what}${written}: ${r.problem}`, {
        path: formatPath([...ctx.shownPath, ...at]),
        position: positionAt(ctx.root, [...ctx.rootPath, ...at]),
        hint: rules.hint,
      }),
    );
    return value;
  }
  if (Array.isArray(value)) {
    const each = rules['*'];
    if (!each) return value;
    return value.map((item, i) => {
      at.push(i);
      const out = bindFields(item, each, at, ctx);
      at.pop();
      return out;
    });
  }
  if (!isMapping(value)) return value;
  let out: Record<string, unknown> | undefined;
  for (const key in rules) {
    const child = value[key];
    if (child === undefined || key === '*') continue;
    at.push(key);
    const bound = bindFields(child, rules[key]!, at, ctx);
    at.pop();
    if (bound !== child) (out ??= { ...value })[key] = bound;
  }
  return out ?? value;
}

function bindService(name: string, written: Node, ctx: BindContext): ServiceConfig {
  const source = isMapping(written) ? written : {};
  const typed = bindFields(source, SERVICE_FIELDS, [], ctx) as Record<string, unknown>;
  const service = { ...typed, name } as ServiceConfig;
  service.environment ??= {};
  return service;
}

function bindServices(services: Node | undefined, root: Mapping, underRoot: PathSegment[], errors: GantryError[]): Record<string, ServiceConfig> {
  const out: Record<string, ServiceConfig> = {};
  if (!isMapping(services)) return out;
  for (const name of Object.keys(services)) {
    const ctx: BindContext = { root, rootPath: [...underRoot, name], shownPath: ['services', name], errors };
    out[name] = bindService(name, services[name]!, ctx);
  }
  return out;
}

/**
 * A top-level resource section. normalize sets every `name`; the fallback
 * repeats compose's rule (`<project>_<key>`, or the key when external) so a
 * Project is never without one.
 */
function bindResources<T extends { name: string }>(section: Node | undefined, projectName: string): Record<string, T> {
  const out: Record<string, T> = {};
  if (!isMapping(section)) return out;
  for (const key of Object.keys(section)) {
    const written = section[key];
    const entry: Record<string, unknown> = isMapping(written) ? { ...written } : {};
    if (typeof entry.name !== 'string') entry.name = entry.external === true ? key : `${projectName}_${key}`;
    out[key] = entry as unknown as T;
  }
  return out;
}

export function bindProject(input: BindInput): Project {
  const { doc } = input;
  const errors: GantryError[] = [];
  const services = bindServices(doc.services, doc, ['services'], errors);
  const disabledServices = bindServices(input.disabled, input.disabled, [], errors);
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new GantryErrors(errors);

  const extensions: Record<string, unknown> = {};
  for (const key of Object.keys(doc)) if (key.startsWith('x-')) extensions[key] = doc[key];

  const project: Project = {
    name: input.name,
    workingDir: input.workingDir,
    configFiles: input.configFiles,
    environment: input.environment,
    services,
    networks: bindResources(doc.networks, input.name),
    volumes: bindResources(doc.volumes, input.name),
    secrets: bindResources(doc.secrets, input.name),
    configs: bindResources(doc.configs, input.name),
    disabledServices,
    profiles: input.profiles,
    extensions,
  };
  if (isMapping(doc.models) && Object.keys(doc.models).length > 0) {
    project.models = doc.models as Record<string, Record<string, unknown>>;
  }
  return project;
}
