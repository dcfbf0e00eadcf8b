// The embedded engine's costs, side by side with the OCI runtime alone and
// Debian's dockerd in one run: start latency of a container that runs `true`
// (create, start, wait, remove through the API), the memory each running
// container adds (its monitor plus the engine's bookkeeping), and the
// engine's idle memory. Needs root, runc, and a built tree (npm run build).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

function api(socketPath, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath, method, path, headers: payload ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => (res.statusCode >= 400 ? reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`)) : resolve(text ? safeJson(text) : undefined)));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
const safeJson = (t) => {
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
};

async function runTrue(socketPath) {
  const t = process.hrtime.bigint();
  const { Id } = await api(socketPath, 'POST', '/v1.41/containers/create', { Image: 'busybox:latest', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
  const waited = api(socketPath, 'POST', `/v1.41/containers/${Id}/wait?condition=next-exit`);
  await api(socketPath, 'POST', `/v1.41/containers/${Id}/start`);
  await waited;
  await api(socketPath, 'DELETE', `/v1.41/containers/${Id}?force=1`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const settled = async (sample) => {
  await new Promise((r) => setTimeout(r, 100));
  return sample();
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

async function startEngine() {
  const id = Math.random().toString(16).slice(2, 8);
  const base = `/tmp/gantry-bench-${id}`;
  const socketPath = `/run/gantry-bench-${id}/engine.sock`;
  const child = spawn(process.execPath, [join(root, 'dist/src/engine/main.js'), '--socket', socketPath, '--data-root', `${base}/data`, '--exec-root', `/run/gantry-bench-${id}/exec`, '--ephemeral'], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try {
      await api(socketPath, 'GET', '/_ping');
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const tar = execFileSync('bash', [join(root, 'scripts/busybox-rootfs.sh')], { maxBuffer: 1 << 26 });
  const imp = spawnSync('docker', ['-H', `unix://${socketPath}`, 'import', '-c', 'CMD ["sh"]', '-', 'busybox:latest'], { input: tar });
  if (imp.status !== 0) throw new Error(`import failed: ${imp.stderr}`);
  return {
    socketPath,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      spawnSync('sh', ['-c', `grep -o "${base}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
      rmSync(base, { recursive: true, force: true });
      rmSync(`/run/gantry-bench-${id}`, { recursive: true, force: true });
    },
  };
}

/** A busybox bundle for `runc run` of `true`; returns the function that times one run. */
function runcAlone() {
  const dir = `/tmp/gantry-bench-runc-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'rootfs'), { recursive: true });
  execFileSync('sh', ['-c', `bash ${join(root, 'scripts/busybox-rootfs.sh')} | tar -C ${dir}/rootfs -x`]);
  execFileSync('runc', ['spec'], { cwd: dir });
  const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  spec.process.terminal = false;
  spec.process.args = ['true'];
  writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
  let n = 0;
  return {
    // Asynchronous like the others, so the three are timed the same way.
    run: () =>
      new Promise((resolve, reject) => {
        const t = process.hrtime.bigint();
        const child = spawn('runc', ['--root', `${dir}/state`, 'run', '--bundle', dir, `bench-${process.pid}-${n++}`], { stdio: 'ignore' });
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t) / 1e6) : reject(new Error('runc run failed'))));
      }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function benchEngine() {
  if (process.getuid() !== 0 || !existsSync(join(root, 'dist/src/engine/main.js'))) {
    console.log('engine bench: needs root and a built tree (npm run build)');
    return;
  }
  const engine = await startEngine();
  const idleKiB = rssKiB(engine.pid);
  const runcBundle = runcAlone();
  const dockerSocket = '/var/run/docker.sock';
  let dockerOk = false;
  try {
    await api(dockerSocket, 'GET', '/_ping');
    dockerOk = true;
  } catch (e) {
    console.log(`dockerd: not measured (${e.message})`);
  }
  // Round-robin, one sample of each per round: the host is shared, and its
  // load drifts; measured in turn, all three see the same drift and the
  // ratios stay fair.
  const gantry = [];
  const docker = [];
  const runcSamples = [];
  for (let i = 0; i < RUNS + 2; i++) {
    // A pause before each sample: what one left running in the background
    // (dockerd's and containerd's teardown) must not be billed to the next.
    const g = await settled(() => runTrue(engine.socketPath));
    const r = await settled(() => runcBundle.run());
    const d = dockerOk ? await settled(() => runTrue(dockerSocket)) : 0;
    if (i < 2) continue;
    gantry.push(g);
    runcSamples.push(r);
    docker.push(d);
  }
  runcBundle.cleanup();
  const runc = median(runcSamples);

  // Memory: ten sleeping containers.
  const N = 10;
  const engineBefore = rssKiB(engine.pid);
  const ids = [];
  for (let i = 0; i < N; i++) {
    const { Id } = await api(engine.socketPath, 'POST', '/v1.41/containers/create', { Image: 'busybox:latest', Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'none' } });
    await api(engine.socketPath, 'POST', `/v1.41/containers/${Id}/start`);
    ids.push(Id);
  }
  await new Promise((r) => setTimeout(r, 500));
  const monitors = spawnSync('pgrep', ['-f', 'gantry-monitor (create|run) '], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  const mine = monitors.filter((pid) => ids.some((id) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(id)));
  const monitorKiB = mine.reduce((s, pid) => s + rssKiB(pid), 0);
  const engineAfter = rssKiB(engine.pid);
  for (const id of ids) await api(engine.socketPath, 'DELETE', `/v1.41/containers/${id}?force=1`);
  await engine.stop();

  const g = median(gantry);
  console.log(`container start latency (create, start, wait, remove of \`true\`; median of ${RUNS}):`);
  console.log(`  runc run alone      ${runc.toFixed(1)} ms`);
  console.log(`  gantry engine       ${g.toFixed(1)} ms   (${(g / runc).toFixed(2)}x runc alone; goal < 2x)`);
  if (dockerOk) {
    const d = median(docker);
    console.log(`  dockerd             ${d.toFixed(1)} ms   (gantry is ${(d / g).toFixed(2)}x faster; goal >= 3x)`);
  }
  const perContainer = (monitorKiB + Math.max(0, engineAfter - engineBefore)) / N / 1024;
  console.log(`memory per running container: ${perContainer.toFixed(2)} MiB (monitor ${(monitorKiB / mine.length / 1024).toFixed(2)} MiB over ${mine.length} monitors + engine growth ${((engineAfter - engineBefore) / N / 1024).toFixed(2)} MiB each; goal <= 2 MiB)`);
  console.log(`engine idle RSS: ${(idleKiB / 1024).toFixed(1)} MiB (goal < 80 MB)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchEngine();
