// Registries for the engine's pull/push tests: Debian's docker-registry on a
// free loopback port, optionally behind htpasswd Basic auth (bcrypt hashes
// from Python's crypt, so no extra Debian package is needed).

import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, startRegistry, type LocalRegistry } from '../../project/local-registry.js';

export type TestRegistry = LocalRegistry;
export { freePort };

export function bcryptHash(password: string): string {
  const out = execFileSync('python3', ['-W', 'ignore', '-c', 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))', password], { encoding: 'utf8' }).trim();
  assert.match(out, /^\$2[aby]\$/, `python3 crypt made no bcrypt hash: ${out}`);
  return out;
}

export async function startTestRegistry(opts: { users?: Record<string, string>; extraConfig?: string } = {}): Promise<TestRegistry> {
  assert.equal(spawnSync('docker-registry', ['--version']).status, 0, 'these tests need docker-registry (apt-get install docker-registry)');
  return startRegistry({
    extraConfig: async (dir) => {
      let auth = '';
      if (opts.users) {
        const lines = Object.entries(opts.users).map(([u, p]) => `${u}:${bcryptHash(p)}`);
        await writeFile(join(dir, 'htpasswd'), lines.join('\n') + '\n');
        auth = `auth:\n  htpasswd:\n    realm: gantry-test\n    path: ${join(dir, 'htpasswd')}\n`;
      }
      return auth + (opts.extraConfig ?? '');
    },
  });
}

/** Debian's docker CLI against the engine with its own config dir (for `docker login`). */
export function dockerWithConfig(engineHost: string, configDir: string, args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('docker', ['--config', configDir, '-H', engineHost, ...args], { input, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The docker CLI without blocking this process (needed when this process also serves the registry side). */
export function dockerAsync(engineHost: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['-H', engineHost, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
