// One replica of a service → the body of the Docker Engine API's
// `POST /containers/create`, the way docker compose fills it in. The field
// names are the API's own (PascalCase), so the request can be handed to any
// engine unchanged.

import { scopedName } from '../common/labels.js';
import type { Project, ServiceConfig, ServiceVolume } from '../spec/types.js';

export interface ContainerRequest {
  name: string;
  body: Record<string, unknown>;
  /** Networks to connect after create: engines below API 1.44 take one at create time. */
  extraNetworks: { network: string; endpoint: Record<string, unknown> }[];
}

export interface RequestInput {
  project: Project;
  service: ServiceConfig;
  name: string;
  number: number;
  labels: Record<string, string>;
  /** Container names of the replicas of each service, for links and volumes_from. */
  containersOf: (service: string) => string[];
  /** Whether the engine accepts several networks at create time (API ≥ 1.44). */
  multiNetworkCreate: boolean;
  /** One-off (`run`) overrides. */
  oneOff?: { command?: string[]; entrypoint?: string[]; env?: Record<string, string>; tty?: boolean; stdin?: boolean; user?: string; workdir?: string; ports?: boolean };
}

export function containerRequest(input: RequestInput): ContainerRequest {
  const { project, service: s, labels, oneOff } = input;
  const ports = oneOff && !oneOff.ports ? [] : s.ports ?? [];
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of ports) {
    const key = `${p.target}/${p.protocol ?? 'tcp'}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.host_ip ?? '', HostPort: p.published ?? '' });
  }
  for (const e of s.expose ?? []) exposed[String(e).includes('/') ? String(e) : `${e}/tcp`] = {};

  const env = { ...s.environment, ...(oneOff?.env ?? {}) };
  const { binds, mounts } = volumeMounts(project, s);
  const networks = networkAttachments(project, s);
  const [primary, ...rest] = networks;
  const inline = input.multiNetworkCreate ? networks : primary ? [primary] : [];

  const hostConfig: Record<string, unknown> = dropUndefined({
    Binds: binds.length ? binds : undefined,
    Mounts: mounts.length ? mounts : undefined,
    Tmpfs: s.tmpfs?.length ? Object.fromEntries(s.tmpfs.map(tmpfsEntry)) : undefined,
    PortBindings: Object.keys(bindings).length ? bindings : undefined,
    RestartPolicy: restartPolicy(s.restart),
    NetworkMode: networkMode(project, s, input, primary?.network),
    Init: s.init,
    Privileged: s.privileged,
    ReadonlyRootfs: s.read_only,
    CapAdd: s.cap_add,
    CapDrop: s.cap_drop,
    SecurityOpt: s.security_opt,
    Sysctls: s.sysctls,
    Ulimits: ulimits(s.ulimits),
    ShmSize: s.shm_size,
    Memory: s.mem_limit ?? limit(s, 'memory'),
    MemoryReservation: s.mem_reservation ?? reservation(s, 'memory'),
    MemorySwap: s.memswap_limit,
    NanoCpus: cpus(s),
    CpuShares: s.cpu_shares,
    CpusetCpus: s.cpuset,
    PidsLimit: s.pids_limit ?? limit(s, 'pids'),
    Dns: s.dns,
    DnsSearch: s.dns_search,
    DnsOptions: s.dns_opt,
    ExtraHosts: extraHosts(s.extra_hosts),
    Links: links(s, input),
    VolumesFrom: volumesFrom(s, input),
    IpcMode: s.ipc,
    PidMode: s.pid,
    UTSMode: s.uts,
    CgroupParent: s.cgroup_parent,
    GroupAdd: s.group_add,
    OomScoreAdj: s.oom_score_adj,
    OomKillDisable: s.oom_kill_disable,
    LogConfig: logConfig(s.logging),
    Devices: devices(s.devices),
    Runtime: s.runtime,
    UsernsMode: s.userns_mode,
  });

  const body: Record<string, unknown> = dropUndefined({
    Hostname: s.hostname,
    Domainname: s.domainname,
    User: oneOff?.user ?? s.user,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    Tty: oneOff?.tty ?? s.tty ?? false,
    OpenStdin: oneOff?.stdin ?? s.stdin_open ?? false,
    StdinOnce: oneOff?.stdin ?? false,
    AttachStdin: oneOff?.stdin ?? false,
    AttachStdout: true,
    AttachStderr: true,
    Env: Object.entries(env).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${v}`),
    Cmd: oneOff?.command ?? s.command ?? undefined,
    Entrypoint: oneOff?.entrypoint ?? s.entrypoint ?? undefined,
    Image: s.image ?? `${project.name}-${s.name}`,
    Labels: { ...(s.labels ?? {}), ...labels },
    WorkingDir: oneOff?.workdir ?? s.working_dir,
    StopSignal: s.stop_signal,
    StopTimeout: s.stop_grace_period !== undefined ? Math.ceil(s.stop_grace_period / 1e9) : undefined,
    Healthcheck: healthcheck(s),
    MacAddress: input.multiNetworkCreate ? undefined : (s.mac_address as string | undefined),
    HostConfig: hostConfig,
    NetworkingConfig: inline.length ? { EndpointsConfig: Object.fromEntries(inline.map((n) => [n.network, n.endpoint])) } : undefined,
  });
  return { name: input.name, body, extraNetworks: input.multiNetworkCreate ? [] : rest };
}

function networkAttachments(project: Project, s: ServiceConfig): { network: string; endpoint: Record<string, unknown> }[] {
  if (s.network_mode) return [];
  const entries = Object.entries(s.networks ?? {});
  // docker compose attaches in priority order (higher first), then by name.
  entries.sort(([a, x], [b, y]) => (Number(y?.priority ?? 0) - Number(x?.priority ?? 0)) || a.localeCompare(b));
  return entries.map(([key, att]) => {
    const net = project.networks[key];
    const endpoint = dropUndefined({
      Aliases: [s.name, ...(att?.aliases ?? [])],
      IPAMConfig: att?.ipv4_address || att?.ipv6_address ? dropUndefined({ IPv4Address: att.ipv4_address, IPv6Address: att.ipv6_address }) : undefined,
      MacAddress: att?.mac_address as string | undefined,
    });
    return { network: net?.name ?? scopedName(project.name, key), endpoint };
  });
}

function networkMode(project: Project, s: ServiceConfig, input: RequestInput, primary: string | undefined): string | undefined {
  const mode = s.network_mode;
  if (!mode) return primary;
  if (mode.startsWith('service:')) {
    const target = input.containersOf(mode.slice('service:'.length))[0];
    return target ? `container:${target}` : mode;
  }
  return mode;
}

function volumeMounts(project: Project, s: ServiceConfig): { binds: string[]; mounts: Record<string, unknown>[] } {
  const binds: string[] = [];
  const mounts: Record<string, unknown>[] = [];
  for (const v of s.volumes ?? []) {
    if (v.type === 'bind' && v.bind?.create_host_path !== false) {
      // Binds (not Mounts) so the engine creates a missing host directory, as docker compose relies on.
      const opts = [v.read_only ? 'ro' : undefined, v.bind?.propagation, v.bind?.selinux].filter(Boolean);
      binds.push(`${v.source}:${v.target}${opts.length ? `:${opts.join(',')}` : ''}`);
      continue;
    }
    mounts.push(mountOf(project, v));
  }
  for (const kind of ['secrets', 'configs'] as const) {
    for (const ref of s[kind] ?? []) {
      const def = project[kind][ref.source];
      if (!def?.file) continue; // environment/content ones are written in after create (injected-files.ts)
      const target = ref.target ?? (kind === 'secrets' ? `/run/secrets/${ref.source}` : `/${ref.source}`);
      binds.push(`${def.file}:${target.startsWith('/') ? target : `/run/secrets/${target}`}:ro`);
    }
  }
  return { binds, mounts };
}

function mountOf(project: Project, v: ServiceVolume): Record<string, unknown> {
  switch (v.type) {
    case 'volume':
      return dropUndefined({
        Type: 'volume',
        Source: v.source ? project.volumes[v.source]?.name ?? scopedName(project.name, v.source) : undefined,
        Target: v.target,
        ReadOnly: v.read_only,
        VolumeOptions: v.volume?.nocopy || v.volume?.subpath ? dropUndefined({ NoCopy: v.volume.nocopy, Subpath: v.volume.subpath }) : undefined,
      });
    case 'tmpfs':
      return dropUndefined({ Type: 'tmpfs', Target: v.target, TmpfsOptions: v.tmpfs ? dropUndefined({ SizeBytes: v.tmpfs.size, Mode: v.tmpfs.mode }) : undefined });
    default:
      return dropUndefined({ Type: v.type, Source: v.source, Target: v.target, ReadOnly: v.read_only, BindOptions: v.bind?.propagation ? { Propagation: v.bind.propagation } : undefined });
  }
}

function tmpfsEntry(spec: string): [string, string] {
  const i = spec.indexOf(':');
  return i < 0 ? [spec, ''] : [spec.slice(0, i), spec.slice(i + 1)];
}

function restartPolicy(restart: string | undefined): { Name: string; MaximumRetryCount?: number } | undefined {
  if (!restart) return undefined;
  const [name, count] = restart.split(':');
  return name === 'on-failure' && count ? { Name: name, MaximumRetryCount: Number(count) } : { Name: name === 'no' ? 'no' : name! };
}

function healthcheck(s: ServiceConfig): Record<string, unknown> | undefined {
  const h = s.healthcheck;
  if (!h) return undefined;
  if (h.disable) return { Test: ['NONE'] };
  return dropUndefined({ Test: h.test, Interval: h.interval, Timeout: h.timeout, Retries: h.retries, StartPeriod: h.start_period, StartInterval: h.start_interval });
}

function ulimits(u: unknown): { Name: string; Soft: number; Hard: number }[] | undefined {
  if (!u || typeof u !== 'object') return undefined;
  return Object.entries(u as Record<string, unknown>).map(([Name, v]) => {
    if (typeof v === 'number') return { Name, Soft: v, Hard: v };
    const o = v as { soft?: number; hard?: number; single?: number };
    return { Name, Soft: Number(o.soft ?? o.single), Hard: Number(o.hard ?? o.single) };
  });
}

function extraHosts(h: unknown): string[] | undefined {
  if (Array.isArray(h)) return h.map((x) => String(x).replace('=', ':'));
  if (h && typeof h === 'object') return Object.entries(h).flatMap(([host, ip]) => (Array.isArray(ip) ? ip : [ip]).map((i) => `${host}:${i}`));
  return undefined;
}

function links(s: ServiceConfig, input: RequestInput): string[] | undefined {
  const out: string[] = [];
  for (const l of s.links ?? []) {
    const [svc, alias] = l.split(':') as [string, string | undefined];
    for (const c of input.containersOf(svc)) out.push(`${c}:${alias ?? svc}`);
  }
  return out.length ? out : undefined;
}

function volumesFrom(s: ServiceConfig, input: RequestInput): string[] | undefined {
  const out: string[] = [];
  for (const v of s.volumes_from ?? []) {
    if (v.startsWith('container:')) {
      out.push(v.slice('container:'.length));
      continue;
    }
    const [svc, mode] = v.split(':') as [string, string | undefined];
    const first = input.containersOf(svc)[0];
    if (first) out.push(mode ? `${first}:${mode}` : first);
  }
  return out.length ? out : undefined;
}

function logConfig(l: unknown): { Type: string; Config: Record<string, string> } | undefined {
  if (!l || typeof l !== 'object') return undefined;
  const o = l as { driver?: string; options?: Record<string, string> };
  return { Type: o.driver ?? '', Config: o.options ?? {} };
}

function devices(d: unknown): { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[] | undefined {
  if (!Array.isArray(d)) return undefined;
  return d.map((x) => {
    if (typeof x === 'string') {
      const [src, dst, perm] = x.split(':');
      return { PathOnHost: src!, PathInContainer: dst ?? src!, CgroupPermissions: perm ?? 'rwm' };
    }
    const o = x as { source: string; target?: string; permissions?: string };
    return { PathOnHost: o.source, PathInContainer: o.target ?? o.source, CgroupPermissions: o.permissions ?? 'rwm' };
  });
}

function cpus(s: ServiceConfig): number | undefined {
  const c = s.cpus ?? limit(s, 'cpus');
  return c === undefined ? undefined : Math.round(Number(c) * 1e9);
}

function limit(s: ServiceConfig, key: string): number | undefined {
  const v = (s.deploy as { resources?: { limits?: Record<string, unknown> } } | undefined)?.resources?.limits?.[key];
  return v === undefined ? undefined : Number(v);
}

function reservation(s: ServiceConfig, key: string): number | undefined {
  const v = (s.deploy as { resources?: { reservations?: Record<string, unknown> } } | undefined)?.resources?.reservations?.[key];
  return v === undefined ? undefined : Number(v);
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
