// `compose config` on a generated 1,000-service file, whole process, against
// Debian's docker-compose (v1, python) in the same run when it is installed.
// Goal (issue 3): under 0.4 s wall, under 100 MiB peak RSS, >= 9x faster.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateBig } from './gen-big.mjs';
import { fmt, hasCommand, runOnce } from './measure.mjs';

export function benchConfigBig({ runs = 5 } = {}) {
  const dir = resolve('bench/.work/big');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), generateBig(1000));
  const cli = resolve('dist/src/cli/main.js');
  const commands = {
    gantry: ['node', cli, '-f', 'compose.yaml', 'config'],
    gantryQuiet: ['node', cli, '-f', 'compose.yaml', 'config', '-q'],
  };
  if (hasCommand('docker-compose')) commands.dockerCompose = ['docker-compose', '-f', 'compose.yaml', 'config'];
  // Interleaved, one run of each in turn: on a shared machine the load
  // changes within seconds, and the ratio is only fair when both tools see
  // the same load.
  const results = measureInterleaved(commands, { runs, cwd: dir });
  console.log(`gantry config (1,000 services):          ${fmt(results.gantry)}`);
  console.log(`gantry config -q:                        ${fmt(results.gantryQuiet)}`);
  if (results.dockerCompose) {
    console.log(`docker-compose config (1,000 services):  ${fmt(results.dockerCompose)}`);
    console.log(`ratio docker-compose / gantry:           ${(results.dockerCompose.median / results.gantry.median).toFixed(1)}x`);
  } else {
    console.log('docker-compose: not installed (apt-get install docker-compose) — no side-by-side ratio');
  }
  return results;
}

function measureInterleaved(commands, { runs, cwd }) {
  const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i <= runs; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const s = runOnce(args, cwd);
      if (s.code !== 0) throw new Error(`${args.join(' ')} exited ${s.code}: ${s.stderr}`);
      if (i > 0) samples[name].push(s); // the first round warms the file cache
    }
  }
  const out = {};
  for (const [name, list] of Object.entries(samples)) {
    const walls = list.map((s) => s.wall).sort((a, b) => a - b);
    const rss = list.map((s) => s.maxrss_kib).sort((a, b) => a - b);
    out[name] = { median: walls[Math.floor(walls.length / 2)], min: walls[0], max: walls[walls.length - 1], rssMiB: rss[Math.floor(rss.length / 2)] / 1024 };
  }
  return out;
}

export function benchStartup({ runs = 15 } = {}) {
  const cli = resolve('dist/src/cli/main.js');
  const { help, version, bare } = measureInterleaved(
    { help: ['node', cli, '--help'], version: ['node', cli, 'version'], bare: ['node', '-e', '0'] },
    { runs, cwd: process.cwd() },
  );
  console.log(`compose --help:                          ${fmt(help)}`);
  console.log(`compose version:                         ${fmt(version)}`);
  console.log(`node -e 0 (the floor):                   ${fmt(bare)}`);
  return { help, version, bare };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchStartup();
  benchConfigBig();
}
