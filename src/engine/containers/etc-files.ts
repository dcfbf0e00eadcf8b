// The files docker writes for each container and bind-mounts over the image's:
// /etc/hostname, /etc/hosts and /etc/resolv.conf.

import { readFileSync, writeFileSync } from 'node:fs';
import type { ContainerRecord } from './container-record.js';

export interface EtcFileInputs {
  hostname: string;
  domainname?: string;
  /** Addresses of the container on its networks, for its own /etc/hosts line. */
  addresses: string[];
  extraHosts: string[];
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  /** Where the host's resolvers are listed. */
  hostResolvConf?: string;
}

export function writeEtcFiles(c: ContainerRecord, inputs: EtcFileInputs): void {
  writeFileSync(c.HostnamePath, `${inputs.hostname}\n`, { mode: 0o644 });
  writeFileSync(c.HostsPath, hostsFile(inputs), { mode: 0o644 });
  writeFileSync(c.ResolvConfPath, resolvConf(inputs), { mode: 0o644 });
}

export function hostsFile(inputs: EtcFileInputs): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const extra of inputs.extraHosts) {
    // `name:ip` (docker's wire form) and `name=ip`; the IP may be v6 with colons.
    const m = /^([^:=]+)[:=](.+)$/.exec(extra);
    if (m) lines.push(`${m[2]}\t${m[1]}`);
  }
  const fqdn = inputs.domainname ? `${inputs.hostname}.${inputs.domainname} ${inputs.hostname}` : inputs.hostname;
  for (const address of inputs.addresses) lines.push(`${address}\t${fqdn}`);
  return lines.join('\n') + '\n';
}

export function resolvConf(inputs: EtcFileInputs): string {
  let host = '';
  try {
    host = readFileSync(inputs.hostResolvConf ?? '/etc/resolv.conf', 'utf8');
  } catch {
    // A host without resolv.conf: the container gets none of the host's settings.
  }
  // Loopback resolvers of the host are unreachable from a container's own
  // network namespace, as docker notes; they are left out.
  const hostServers = [...host.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!).filter((s) => !/^127\.|^::1$/.test(s));
  const hostSearch = /^\s*search\s+(.+)$/m.exec(host)?.[1]?.trim().split(/\s+/) ?? [];
  const hostOptions = /^\s*options\s+(.+)$/m.exec(host)?.[1]?.trim().split(/\s+/) ?? [];
  const servers = inputs.dns?.length ? inputs.dns : hostServers;
  const search = inputs.dnsSearch?.length ? inputs.dnsSearch : hostSearch;
  const options = inputs.dnsOptions?.length ? inputs.dnsOptions : hostOptions;
  const lines = servers.map((s) => `nameserver ${s}`);
  if (search.length) lines.push(`search ${search.join(' ')}`);
  if (options.length) lines.push(`options ${options.join(' ')}`);
  return lines.join('\n') + '\n';
}
