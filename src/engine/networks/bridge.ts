// One Linux bridge per network, named gt-<first 12 hex of the network id>
// (15 characters, the kernel's limit), with the gateway address on it. The
// gateway address stays on internal networks too: the embedded DNS server
// listens there; what makes them internal is the missing default route in
// containers and the DROP rules in nat.ts.
//
// The bridge gets a MAC address of its own, fixed for the network's life.
// Left alone, the kernel gives a bridge the lowest MAC of its ports, so it
// changes whenever the port holding it leaves (a container recreated) or a
// lower one joins. Containers keep the gateway's old MAC in their ARP cache
// for up to a minute, and everything they send to the gateway (DNS queries
// above all) goes to an address nobody has: lookups time out until the
// entry expires.

import { createHash } from 'node:crypto';
import { runHost, runHostTolerating } from './host-command.js';

export function bridgeName(networkId: string): string {
  return `gt-${networkId.slice(0, 12)}`;
}

/**
 * Locally administered and unicast (06:…), apart from the containers'
 * 02:42:… addresses, and derived from the network id so a restored bridge
 * keeps the address its containers have cached.
 */
export function bridgeMac(networkId: string): string {
  const bytes = createHash('sha256').update(`bridge/${networkId}`).digest().subarray(0, 5);
  return ['06', ...[...bytes].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** Creates the bridge or, after an engine restart, adopts the one that is there. */
export async function ensureBridge(name: string, gateway: string, prefixLen: number, mac: string): Promise<void> {
  await runHostTolerating('ip', ['link', 'add', 'name', name, 'type', 'bridge'], /File exists/);
  // Set on an adopted bridge too: one made before addresses were fixed still follows its ports.
  await runHost('ip', ['link', 'set', name, 'address', mac]);
  await runHost('ip', ['addr', 'replace', `${gateway}/${prefixLen}`, 'dev', name]);
  await runHost('ip', ['link', 'set', name, 'up']);
}

export async function removeBridge(name: string): Promise<void> {
  await runHostTolerating('ip', ['link', 'del', name], /Cannot find device|does not exist/);
}
