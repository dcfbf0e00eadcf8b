// One Linux bridge per network, named gt-<first 12 hex of the network id>
// (15 characters, the kernel's limit), with the gateway address on it. The
// gateway address stays on internal networks too: the embedded DNS server
// listens there; what makes them internal is the missing default route in
// containers and the DROP rules in nat.ts.

import { runHost, runHostTolerating } from './host-command.js';

export function bridgeName(networkId: string): string {
  return `gt-${networkId.slice(0, 12)}`;
}

/** Creates the bridge or, after an engine restart, adopts the one that is there. */
export async function ensureBridge(name: string, gateway: string, prefixLen: number): Promise<void> {
  await runHostTolerating('ip', ['link', 'add', 'name', name, 'type', 'bridge'], /File exists/);
  await runHost('ip', ['addr', 'replace', `${gateway}/${prefixLen}`, 'dev', name]);
  await runHost('ip', ['link', 'set', name, 'up']);
}

export async function removeBridge(name: string): Promise<void> {
  await runHostTolerating('ip', ['link', 'del', name], /Cannot find device|does not exist/);
}
