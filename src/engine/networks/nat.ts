// Forwarding and outbound NAT for the bridges, in gantry's own chains so
// dockerd's (which shares this host) are never touched: GANTRY-FORWARD
// (filter, jumped to first from FORWARD) and GANTRY-POSTROUTING (nat). Each
// rule is checked before it is added, so restoring after an engine restart
// adds nothing twice; the chains go away with the last network.

import { HostCommandError, runHost } from './host-command.js';
import { writeFile } from 'node:fs/promises';

export const FORWARD_CHAIN = 'GANTRY-FORWARD';
export const NAT_CHAIN = 'GANTRY-POSTROUTING';

interface Rule {
  table: 'filter' | 'nat';
  chain: string;
  spec: string[];
}

export function rulesFor(bridge: string, subnet: string, internal: boolean): Rule[] {
  const f = (...spec: string[]): Rule => ({ table: 'filter', chain: FORWARD_CHAIN, spec });
  const rules = [f('-i', bridge, '-o', bridge, '-j', 'ACCEPT')];
  if (internal) {
    rules.push(f('-i', bridge, '!', '-o', bridge, '-j', 'DROP'), f('-o', bridge, '!', '-i', bridge, '-j', 'DROP'));
  } else {
    rules.push(
      f('-o', bridge, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'),
      f('-i', bridge, '!', '-o', bridge, '-j', 'ACCEPT'),
      { table: 'nat', chain: NAT_CHAIN, spec: ['-s', subnet, '!', '-o', bridge, '-j', 'MASQUERADE'] },
    );
  }
  return rules;
}

// iptables calls from one engine are serialized: check-then-add must not
// interleave with another network's teardown of the shared chains. `-w`
// waits on the xtables lock held by other processes (dockerd).
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

const ipt = (table: string, ...args: string[]) => runHost('iptables', ['-w', '-t', table, ...args]);

async function exists(table: string, chain: string, spec: string[]): Promise<boolean> {
  try {
    await ipt(table, '-C', chain, ...spec);
    return true;
  } catch (e) {
    if (e instanceof HostCommandError) return false;
    throw e;
  }
}

async function ensureChain(table: string, chain: string, parent: string): Promise<void> {
  try {
    await ipt(table, '-N', chain);
  } catch (e) {
    if (!(e instanceof HostCommandError && /exists/i.test(e.stderr))) throw e;
  }
  if (!(await exists(table, parent, ['-j', chain]))) await ipt(table, '-I', parent, '1', '-j', chain);
}

async function dropChainIfEmpty(table: string, chain: string, parent: string): Promise<void> {
  let listing: string;
  try {
    listing = await ipt(table, '-S', chain);
  } catch {
    return; // no such chain
  }
  if (listing.split('\n').some((l) => l.startsWith('-A '))) return;
  while (await exists(table, parent, ['-j', chain])) await ipt(table, '-D', parent, '-j', chain);
  await ipt(table, '-X', chain);
}

export async function enableIpForwarding(): Promise<void> {
  await writeFile('/proc/sys/net/ipv4/ip_forward', '1\n');
}

export function installNetworkRules(bridge: string, subnet: string, internal: boolean): Promise<void> {
  return serialized(async () => {
    if (!internal) await enableIpForwarding();
    await ensureChain('filter', FORWARD_CHAIN, 'FORWARD');
    if (!internal) await ensureChain('nat', NAT_CHAIN, 'POSTROUTING');
    for (const r of rulesFor(bridge, subnet, internal)) {
      if (!(await exists(r.table, r.chain, r.spec))) await ipt(r.table, '-A', r.chain, ...r.spec);
    }
  });
}

/** Removes the rules of either kind (the record's `internal` may not match what a crashed engine left). */
export function removeNetworkRules(bridge: string, subnet: string): Promise<void> {
  return serialized(async () => {
    for (const r of [...rulesFor(bridge, subnet, true), ...rulesFor(bridge, subnet, false)]) {
      while (await exists(r.table, r.chain, r.spec)) await ipt(r.table, '-D', r.chain, ...r.spec);
    }
    await dropChainIfEmpty('filter', FORWARD_CHAIN, 'FORWARD');
    await dropChainIfEmpty('nat', NAT_CHAIN, 'POSTROUTING');
  });
}
