// Whole-process measurement of a command: wall time and peak resident memory
// (from wait4's rusage, through python3's resource module, which Node lacks
// for child processes). Medians over several runs; machines here are noisy,
// so compare tools side by side in one run and read the ratios.

import { spawnSync } from 'node:child_process';

const PY = `
import json, os, resource, subprocess, sys, time
args = json.loads(sys.argv[1]); cwd = sys.argv[2]
t = time.perf_counter()
p = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "maxrss_kib": ru.ru_maxrss, "code": p.returncode, "stderr": p.stderr.decode()[-400:]}))
`;

export function runOnce(args, cwd = process.cwd(), env = process.env) {
  const r = spawnSync('python3', ['-c', PY, JSON.stringify(args), cwd], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`measure failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export function measure(args, { runs = 5, warmup = 1, cwd, env } = {}) {
  for (let i = 0; i < warmup; i++) runOnce(args, cwd, env);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const s = runOnce(args, cwd, env);
    if (s.code !== 0) throw new Error(`${args.join(' ')} exited ${s.code}: ${s.stderr}`);
    samples.push(s);
  }
  const walls = samples.map((s) => s.wall).sort((a, b) => a - b);
  const rss = samples.map((s) => s.maxrss_kib).sort((a, b) => a - b);
  return {
    median: walls[Math.floor(walls.length / 2)],
    min: walls[0],
    max: walls[walls.length - 1],
    rssMiB: rss[Math.floor(rss.length / 2)] / 1024,
  };
}

export function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

export function fmt(s) {
  return `${(s.median * 1000).toFixed(0)} ms (min ${(s.min * 1000).toFixed(0)}, max ${(s.max * 1000).toFixed(0)}), peak RSS ${s.rssMiB.toFixed(1)} MiB`;
}
