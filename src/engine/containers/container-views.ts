// The two answers docker gives about a container: the full inspect document
// and the one-line summary of `GET /containers/json`.

import type { ContainerRecord } from './container-record.js';

export function inspectView(c: ContainerRecord, imageName = c.Config.Image ?? ''): Record<string, unknown> {
  const { MonitorPid: _m, StoppedByUser: _s, PublishedPorts: _p, Networks, ...rest } = c;
  return {
    ...rest,
    Config: { ...c.Config, Image: imageName },
    State: c.State.Health ? c.State : { ...c.State, Health: undefined },
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    GraphDriver: { Name: 'overlay2', Data: null },
    NetworkSettings: networkSettings(c, Networks),
  };
}

function networkSettings(c: ContainerRecord, networks: ContainerRecord['Networks']): Record<string, unknown> {
  const ports: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> = {};
  for (const port of Object.keys(c.Config.ExposedPorts ?? {})) ports[port] = null;
  for (const port of Object.keys(c.HostConfig.PortBindings ?? {})) {
    const key = port.includes('/') ? port : `${port}/tcp`;
    ports[key] = c.State.Running ? (c.PublishedPorts?.[key] ?? c.PublishedPorts?.[port] ?? []) : null;
  }
  const first = Object.values(networks)[0];
  return {
    Bridge: '',
    SandboxID: '',
    SandboxKey: '',
    HairpinMode: false,
    Ports: ports,
    IPAddress: first?.IPAddress ?? '',
    IPPrefixLen: first?.IPPrefixLen ?? 0,
    Gateway: first?.Gateway ?? '',
    MacAddress: first?.MacAddress ?? '',
    Networks: networks,
  };
}

export function summaryView(c: ContainerRecord, imageName = c.Config.Image ?? ''): Record<string, unknown> {
  const ports: Array<Record<string, unknown>> = [];
  for (const port of Object.keys(c.Config.ExposedPorts ?? {})) {
    const [num, proto = 'tcp'] = port.split('/');
    const bindings = c.State.Running ? (c.PublishedPorts?.[port] ?? []) : [];
    if (bindings.length === 0) ports.push({ PrivatePort: Number(num), Type: proto });
    for (const b of bindings) ports.push({ IP: b.HostIp || '0.0.0.0', PrivatePort: Number(num), PublicPort: Number(b.HostPort), Type: proto });
  }
  return {
    Id: c.Id,
    Names: [c.Name],
    Image: imageName,
    ImageID: c.Image,
    Command: [c.Path, ...c.Args].map(quoteWord).join(' '),
    Created: Math.floor(Date.parse(c.Created) / 1000),
    Ports: ports,
    Labels: c.Config.Labels ?? {},
    State: c.State.Status,
    Status: statusText(c),
    HostConfig: { NetworkMode: c.HostConfig.NetworkMode || 'default' },
    NetworkSettings: { Networks: c.Networks },
    Mounts: c.Mounts,
  };
}

function quoteWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'"'"'`)}'`;
}

/** docker's human status: `Up 3 minutes (healthy)`, `Exited (0) 2 seconds ago`, `Created`. */
export function statusText(c: ContainerRecord, now = Date.now()): string {
  const s = c.State;
  switch (s.Status) {
    case 'running':
    case 'paused': {
      const health = s.Health && s.Health.Status !== 'none' ? ` (${s.Health.Status === 'starting' ? 'health: starting' : s.Health.Status})` : '';
      return `Up ${humanDuration(now - Date.parse(s.StartedAt))}${s.Status === 'paused' ? ' (Paused)' : health}`;
    }
    case 'restarting':
      return `Restarting (${s.ExitCode}) ${humanDuration(now - Date.parse(s.FinishedAt))} ago`;
    case 'exited':
      return `Exited (${s.ExitCode}) ${humanDuration(now - Date.parse(s.FinishedAt))} ago`;
    case 'dead':
      return 'Dead';
    case 'removing':
      return 'Removal In Progress';
    default:
      return 'Created';
  }
}

export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(s / 3600);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  const d = Math.round(h / 24);
  if (d < 14) return `${d} days`;
  return `${Math.round(d / 7)} weeks`;
}
