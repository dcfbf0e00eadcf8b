// A real registry for pull and push tests: Debian's `docker-registry` on a
// free loopback port (dockerd treats 127.0.0.0/8 registries as insecure, so
// plain HTTP works), with its storage in a temporary directory.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalRegistry {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** Its temporary directory (storage, config), removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** More of the registry's config.yml (auth, …), made once its directory exists. */
  extraConfig?: (dir: string) => Promise<string> | string;
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'gt-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  const extra = (await opts.extraConfig?.(dir)) ?? '';
  await writeFile(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${extra}`);
  let child: ChildProcess;
  try {
    child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`cannot start docker-registry (apt-get install docker-registry): ${(e as Error).message}`);
  }
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const spawnError = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`docker-registry did not start (apt-get install docker-registry): ${e.message}`))));
  const host = `127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr}`);
      try {
        // 401: up, behind the auth the extra config asked for.
        const status = (await fetch(`http://${host}/v2/`)).status;
        if (status === 200 || status === 401) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`docker-registry did not answer on ${host}: ${stderr}`);
  })();
  await Promise.race([ready, spawnError]);
  return {
    host,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
