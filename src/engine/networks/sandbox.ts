// A container's network namespace, made by `ip netns add` so it has a path
// (/run/netns/gantry-<id12>) the OCI bundle can join and that outlives the
// engine process; and the veth pairs that plug it into bridges. The host end
// of a pair is named from a hash of (container, network), so it can be found
// again after a restart without any state.

import { createHash } from 'node:crypto';
import { runHost, runHostTolerating } from './host-command.js';

const NETNS_DIR = '/run/netns';

export function sandboxName(containerId: string): string {
  return `gantry-${containerId.slice(0, 12)}`;
}

export function sandboxPath(containerId: string): string {
  return `${NETNS_DIR}/${sandboxName(containerId)}`;
}

export function hostVethName(containerId: string, networkId: string): string {
  return `gtv${createHash('sha256').update(`${containerId}/${networkId}`).digest('hex').slice(0, 12)}`;
}

function peerVethName(containerId: string, networkId: string): string {
  return `gtp${hostVethName(containerId, networkId).slice(3)}`;
}

/** docker's scheme: 02:42 followed by the four bytes of the IPv4 address. */
export function macFor(ipv4: string): string {
  return ['02', '42', ...ipv4.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

export async function createSandbox(containerId: string): Promise<string> {
  const name = sandboxName(containerId);
  await runHostTolerating('ip', ['netns', 'add', name], /File exists/);
  await runHost('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return sandboxPath(containerId);
}

export async function destroySandbox(containerId: string): Promise<void> {
  // Deleting the namespace destroys the container ends of its veths, and
  // with them the host ends.
  await runHostTolerating('ip', ['netns', 'del', sandboxName(containerId)], /No such file|not exist/);
}

export interface Plug {
  containerId: string;
  networkId: string;
  bridge: string;
  ifname: string;
  address: string;
  prefixLen: number;
  macAddress: string;
}

/** Interface names in use inside the sandbox (eth0, eth1 …). */
export async function sandboxInterfaces(containerId: string): Promise<string[]> {
  const out = await runHost('ip', ['-n', sandboxName(containerId), '-j', 'link', 'show']);
  return (JSON.parse(out || '[]') as Array<{ ifname: string }>).map((l) => l.ifname);
}

export async function plugIn(p: Plug): Promise<void> {
  const ns = sandboxName(p.containerId);
  const host = hostVethName(p.containerId, p.networkId);
  const peer = peerVethName(p.containerId, p.networkId);
  // A pair left by a crash in the middle of this sequence is replaced.
  await runHostTolerating('ip', ['link', 'del', host], /Cannot find device/);
  await runHost('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', peer]);
  try {
    await runHost('ip', ['link', 'set', peer, 'netns', ns]);
    await runHost('ip', ['link', 'set', host, 'master', p.bridge, 'up']);
    await runHost('ip', ['-n', ns, 'link', 'set', peer, 'name', p.ifname]);
    await runHost('ip', ['-n', ns, 'link', 'set', p.ifname, 'address', p.macAddress]);
    await runHost('ip', ['-n', ns, 'addr', 'add', `${p.address}/${p.prefixLen}`, 'dev', p.ifname]);
    await runHost('ip', ['-n', ns, 'link', 'set', p.ifname, 'up']);
  } catch (e) {
    await runHostTolerating('ip', ['link', 'del', host], /Cannot find device/);
    throw e;
  }
}

export async function unplug(containerId: string, networkId: string): Promise<void> {
  await runHostTolerating('ip', ['link', 'del', hostVethName(containerId, networkId)], /Cannot find device/);
}

/** Points the sandbox's default route at `gateway`, or removes it when there is none. */
export async function setDefaultRoute(containerId: string, gateway: string | undefined): Promise<void> {
  const ns = sandboxName(containerId);
  if (gateway) await runHost('ip', ['-n', ns, 'route', 'replace', 'default', 'via', gateway]);
  else await runHostTolerating('ip', ['-n', ns, 'route', 'del', 'default'], /No such process|not found/i);
}
