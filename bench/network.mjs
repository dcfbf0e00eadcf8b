// Issue 6's numbers, the embedded engine beside Debian's dockerd in one run:
// throughput of a published port (a 256 MiB file served by busybox httpd,
// fetched from 127.0.0.1 by this process; both engines in alternating
// rounds) and the latency of the embedded DNS (a loop of nslookups of a
// service name, timed inside one container). Needs root, runc, a built tree (npm run build), and for the
// comparison dockerd on /var/run/docker.sock with busybox:latest.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { get, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILE_MIB = Number(process.env.BENCH_FILE_MIB ?? 256);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TAG = `gtbench-net-${process.pid}`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function ping(socketPath) {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function dockerOn(socketPath) {
  return (args, timeout = 300_000) => {
    const r = spawnSync('docker', ['-H', `unix://${socketPath}`, ...args], { encoding: 'utf8', timeout, maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr || r.error?.message}`);
    return r.stdout + r.stderr;
  };
}

async function startEngine() {
  const id = Math.random().toString(16).slice(2, 8);
  const base = `/tmp/gantry-bench-${id}`;
  const run = `/run/gantry-bench-${id}`;
  const socketPath = `${run}/engine.sock`;
  const child = spawn(process.execPath, [join(root, 'dist/src/engine/main.js'), '--socket', socketPath, '--data-root', `${base}/data`, '--exec-root', `${run}/exec`, '--ephemeral'], { stdio: 'ignore' });
  let up = false;
  for (let i = 0; i < 200 && !up; i++) {
    up = await ping(socketPath);
    if (!up) await sleep(50);
  }
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    spawnSync('sh', ['-c', `grep -o "${base}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
    rmSync(base, { recursive: true, force: true });
    rmSync(run, { recursive: true, force: true });
  };
  if (!up) {
    await stop();
    throw new Error('the embedded engine did not answer');
  }
  const tar = execFileSync('bash', [join(root, 'scripts/busybox-rootfs.sh')], { maxBuffer: 1 << 26 });
  const imp = spawnSync('docker', ['-H', `unix://${socketPath}`, 'import', '-c', 'CMD ["sh"]', '-', 'busybox:latest'], { input: tar });
  if (imp.status !== 0) {
    await stop();
    throw new Error(`import failed: ${imp.stderr}`);
  }
  return { socketPath, stop };
}

/** Bytes and seconds of one GET, the body discarded as it arrives. */
function fetchOnce(url) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    get(url, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url}: ${res.statusCode}`));
        return;
      }
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve({ bytes, seconds: Number(process.hrtime.bigint() - t) / 1e9 }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function waitForFile(url) {
  for (let i = 0; i < 600; i++) {
    const ok = await new Promise((resolve) => {
      get(url, { method: 'HEAD' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      }).on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} never answered`);
}

/** A busybox httpd serving FILE_MIB MiB behind 127.0.0.1:<port> published by the engine on `socketPath`. */
async function startFileServer(socketPath) {
  const docker = dockerOn(socketPath);
  const port = await freePort();
  const name = `${TAG}-serve`;
  // The file is written before httpd starts, so a HEAD that answers means it is complete.
  docker(['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:8080`, 'busybox:latest', 'sh', '-c', `mkdir -p /tmp/www && dd if=/dev/zero of=/tmp/www/big bs=1M count=${FILE_MIB} 2>/dev/null && exec httpd -f -p 8080 -h /tmp/www`]);
  const remove = () => spawnSync('docker', ['-H', `unix://${socketPath}`, 'rm', '-f', name], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/big`;
  try {
    await waitForFile(url);
  } catch (e) {
    remove();
    throw e;
  }
  return { url, remove };
}

/** MB/s of one full GET. */
async function rate(url) {
  const { bytes, seconds } = await fetchOnce(url);
  if (bytes !== FILE_MIB * 1024 * 1024) throw new Error(`short read: ${bytes} bytes`);
  return bytes / 1e6 / seconds;
}

/**
 * Both engines' published ports measured in alternation (the order flipped
 * every round), so a load change on a shared machine hits both sides alike
 * instead of whichever happened to run second; the ratio is the median of
 * the rounds' own ratios.
 */
async function throughputRounds(gantryUrl, dockerUrl) {
  const g = [];
  const d = [];
  const ratios = [];
  for (let i = 0; i < ROUNDS; i++) {
    let gr;
    let dr;
    if (i % 2 === 0) {
      gr = await rate(gantryUrl);
      dr = dockerUrl && (await rate(dockerUrl));
    } else {
      dr = dockerUrl && (await rate(dockerUrl));
      gr = await rate(gantryUrl);
    }
    g.push(gr);
    if (dockerUrl) {
      d.push(dr);
      ratios.push(dr / gr);
    }
  }
  return { gantry: median(g), docker: dockerUrl ? median(d) : undefined, ratio: dockerUrl ? median(ratios) : undefined, ratios };
}

/** Milliseconds per `nslookup <service>` from a container on a user-defined network. */
function dnsLatency(socketPath) {
  const docker = dockerOn(socketPath);
  const net = `${TAG}-net`;
  const svc = `${TAG}-svc`;
  docker(['network', 'create', net]);
  try {
    docker(['run', '-d', '--name', svc, '--network', net, '--network-alias', 'db', 'busybox:latest', 'sleep', '600']);
    // One lookup outside the timing, so a cold first answer does not count.
    const loop = `nslookup db >/dev/null || exit 1; time -p sh -c 'i=0; while [ $i -lt ${LOOKUPS} ]; do nslookup db >/dev/null || exit 1; i=$((i+1)); done'`;
    const out = docker(['run', '--rm', '--network', net, 'busybox:latest', 'sh', '-c', loop]);
    const real = /real\s+([\d.]+)/.exec(out)?.[1];
    if (!real) throw new Error(`no timing in: ${out}`);
    return (Number(real) * 1000) / LOOKUPS;
  } finally {
    spawnSync('docker', ['-H', `unix://${socketPath}`, 'rm', '-f', svc], { stdio: 'ignore' });
    spawnSync('docker', ['-H', `unix://${socketPath}`, 'network', 'rm', net], { stdio: 'ignore' });
  }
}

export async function benchNetwork() {
  if (process.getuid() !== 0 || !existsSync(join(root, 'dist/src/engine/main.js'))) {
    console.log('network bench: needs root and a built tree (npm run build)');
    return;
  }
  const dockerSocket = '/var/run/docker.sock';
  const withDocker = await ping(dockerSocket);
  if (!withDocker) console.log(`dockerd: not measured (no dockerd on ${dockerSocket})`);
  const engine = await startEngine();
  let tp;
  let gantryDns;
  let dockerDns;
  try {
    const gantryServer = await startFileServer(engine.socketPath);
    try {
      const dockerServer = withDocker ? await startFileServer(dockerSocket) : undefined;
      try {
        tp = await throughputRounds(gantryServer.url, dockerServer?.url);
      } finally {
        dockerServer?.remove();
      }
    } finally {
      gantryServer.remove();
    }
    gantryDns = dnsLatency(engine.socketPath);
  } finally {
    await engine.stop();
  }
  if (withDocker) dockerDns = dnsLatency(dockerSocket);
  console.log(`published port throughput (${FILE_MIB} MiB over 127.0.0.1, median of ${ROUNDS} alternating rounds):`);
  console.log(`  gantry engine       ${tp.gantry.toFixed(0)} MB/s`);
  if (withDocker) {
    console.log(`  dockerd             ${tp.docker.toFixed(0)} MB/s   (docker/gantry ${tp.ratio.toFixed(2)}x; goal <= 1.5x)`);
    console.log(`  per-round docker/gantry: ${tp.ratios.map((r) => r.toFixed(2)).join(' ')}`);
  }
  console.log(`DNS lookup of a service name inside a container (${LOOKUPS} nslookups in one loop, process spawn included):`);
  console.log(`  gantry engine       ${gantryDns.toFixed(2)} ms per lookup`);
  if (withDocker) console.log(`  dockerd             ${dockerDns.toFixed(2)} ms per lookup   (gantry/docker ${(gantryDns / dockerDns).toFixed(2)}x)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchNetwork();
