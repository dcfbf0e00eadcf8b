// Shared by the network tests that change the host: a root check that fails
// loudly, a snapshot of everything gantry's networks leave on the host
// (links, named namespaces, iptables rules) for leak checks, and helpers to
// run commands inside a sandbox.

import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { ManagedNetwork } from '../../../src/engine/networks/network-manager.js';
import { sandboxName } from '../../../src/engine/networks/sandbox.js';
import { CLASS_IN, decodeMessage, encodeMessage, TYPE, type DnsMessage } from '../../../src/engine/networks/dns-message.js';

export function requireRoot(): void {
  assert.equal(process.getuid?.(), 0, 'these tests create bridges, namespaces and iptables rules: run them as root');
  for (const tool of ['ip', 'iptables', 'busybox']) {
    assert.doesNotThrow(() => execFileSync('sh', ['-c', `command -v ${tool}`]), `${tool} is needed for these tests`);
  }
}

/** What gantry owns on the host: gt-, gtv and gtp links, gantry-* namespaces, GANTRY chains and rules on gt-* bridges. */
export function hostFootprint(): string[] {
  const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\d+:\s+([^:@]+)/.exec(l)?.[1] ?? '')
    .filter((n) => /^gt[-vp]/.test(n))
    .map((n) => `link ${n}`);
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('gantry-'))
    .map((l) => `netns ${l.split(' ')[0]}`);
  const rules = execFileSync('iptables-save', { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /GANTRY|gt-/.test(l))
    .map((l) => `rule ${l.replace(/\[\d+:\d+\]/, '')}`);
  return [...links, ...netns, ...rules].sort();
}

export function testNetwork(over: Partial<ManagedNetwork> = {}): ManagedNetwork {
  const id = randomBytes(32).toString('hex');
  return { Id: id, Name: `gtest-${id.slice(0, 6)}`, Driver: 'bridge', Internal: false, IPAM: { Config: [] }, ...over };
}

export const containerId = () => randomBytes(32).toString('hex');

export function inSandbox(cid: string, cmd: string[], timeoutMs = 10_000): string {
  return execFileSync('ip', ['netns', 'exec', sandboxName(cid), ...cmd], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a small node server inside a sandbox; resolves once it says it listens. */
export function serveInSandbox(cid: string, script: string): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', sandboxName(cid), process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server in sandbox exited with ${code} before listening`)));
    child.stdout!.once('data', () => resolve(child));
  });
}

export const TCP_ECHO = (port: number) =>
  `require('net').createServer((s) => s.on('data', (d) => s.end('echo:' + d))).listen(${port}, '0.0.0.0', () => console.log('ready'))`;
export const UDP_ECHO = (port: number) =>
  `const s = require('dgram').createSocket('udp4'); s.on('message', (m, r) => s.send('echo:' + m, r.port, r.address)); s.bind(${port}, '0.0.0.0', () => console.log('ready'))`;

/** One DNS question over UDP from the host; resolves with the decoded reply. */
export function askDns(server: string, name: string, type: number = TYPE.A, port = 53): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error(`no DNS answer from ${server}:${port} for ${name}`));
    }, 5000);
    sock.on('message', (m) => {
      clearTimeout(timer);
      sock.close();
      resolve(decodeMessage(m));
    });
    sock.send(encodeMessage({ id: Math.floor(Math.random() * 65535), rd: true, questions: [{ name, type, class: CLASS_IN }] }), port, server);
  });
}

/** Like inSandbox, but leaves the event loop free: needed when the answer comes from this process (DNS, port proxy). */
export function inSandboxAsync(cid: string, cmd: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', ['netns', 'exec', sandboxName(cid), ...cmd], { encoding: 'utf8', timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd.join(' ')} in ${sandboxName(cid)}: ${err.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}
