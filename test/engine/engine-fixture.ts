// A real embedded engine for a test file: its own socket, data root and exec
// root under a temp directory, started as a separate process (so tests can
// SIGKILL it), with the busybox test image imported through the API. Needs
// root, runc and overlayfs: it fails loudly without them.

import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
export const engineMain = join(repoRoot, 'dist/src/engine/main.js');

export interface TestEngine {
  id: string;
  socketPath: string;
  host: string;
  dataRoot: string;
  execRoot: string;
  process: ChildProcess;
  /** Starts it again on the same data root (after a kill). */
  restart(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** `docker -H <engine> …` through Debian's docker CLI. */
  docker(args: string[], opts?: { input?: string; timeoutMs?: number }): { status: number | null; stdout: string; stderr: string };
  request(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>;
  stop(): Promise<void>;
}

export function requireRootAndRuntime(): void {
  assert.equal(process.getuid?.(), 0, 'engine tests need root');
  assert.ok(existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc') || existsSync('/usr/bin/crun'), 'engine tests need runc or crun (apt-get install runc)');
  assert.ok(existsSync(engineMain), `engine not built: ${engineMain} (npm run build)`);
}

export async function startTestEngine(opts: { image?: boolean } = {}): Promise<TestEngine> {
  requireRootAndRuntime();
  const id = randomBytes(4).toString('hex');
  const base = `/tmp/gantry-engine-test-${id}`;
  const socketPath = `/run/gantry-test-${id}/engine.sock`;
  const dataRoot = join(base, 'data');
  const execRoot = `/run/gantry-test-${id}/exec`;
  mkdirSync(dataRoot, { recursive: true });
  const args = [engineMain, '--socket', socketPath, '--data-root', dataRoot, '--exec-root', execRoot, '--ephemeral'];
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`engine exited (${child.exitCode}): ${stderr}`);
      if (await ping(socketPath)) return child;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    throw new Error(`engine did not answer on ${socketPath}: ${stderr}`);
  };
  const engine: TestEngine = {
    id,
    socketPath,
    host: `unix://${socketPath}`,
    dataRoot,
    execRoot,
    process: await launch(),
    async restart() {
      engine.process = await launch();
    },
    async kill(signal = 'SIGKILL') {
      const p = engine.process;
      if (p.exitCode !== null || p.signalCode !== null) return;
      const gone = new Promise((r) => p.once('exit', r));
      p.kill(signal);
      await gone;
    },
    docker(dargs, o = {}) {
      const r = spawnSync('docker', ['-H', `unix://${socketPath}`, ...dargs], { input: o.input ?? '', timeout: o.timeoutMs ?? 60_000, encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    request: (method, path, body) => httpRequest(socketPath, method, path, body),
    async stop() {
      // An ephemeral engine removes its containers and networks as it stops.
      await engine.kill('SIGTERM');
      spawnSync('sh', ['-c', `grep -o "${dataRoot}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
      rmSync(base, { recursive: true, force: true });
      rmSync(dirname(socketPath), { recursive: true, force: true });
    },
  };
  if (opts.image !== false) importBusybox(engine);
  return engine;
}

export function importBusybox(engine: TestEngine, tag = 'busybox:latest'): void {
  const tar = execFileSync('bash', [join(repoRoot, 'scripts/busybox-rootfs.sh')], { maxBuffer: 64 * 1024 * 1024 });
  const r = spawnSync('docker', ['-H', engine.host, 'import', '-c', 'CMD ["sh"]', '-', tag], { input: tar, encoding: 'utf8' });
  assert.equal(r.status, 0, `docker import into the engine failed: ${r.stderr}`);
}

function ping(socketPath: string): Promise<boolean> {
  return httpRequest(socketPath, 'GET', '/_ping').then(
    (r) => r.status === 200,
    () => false,
  );
}

export function httpRequest(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request({ socketPath, method, path, headers: payload ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Mounts under a directory, from this process's mountinfo. */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(dir));
}

function findRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'src'))) return d;
    if (dirname(d) === d) return resolve('.');
  }
}
