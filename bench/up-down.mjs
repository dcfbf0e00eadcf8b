// Issue 4: `up -d` (cold and no-op), `ps` and `down` on generated projects
// of 10 and 50 busybox services, gantry against Debian's docker-compose (v1)
// on the same dockerd, side by side in one run (the tools alternate run by
// run so both see the same machine noise), beside the bare API floor of
// bench/api-floor.mjs. Goals: no-op `up -d` on 50
// services under 0.5 s; cold `up -d` and `down` at least 2x faster.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasCommand, runOnce } from './measure.mjs';

const STEPS = ['up (cold)', 'up (no-op)', 'ps', 'down'];

/** `n` services; every fifth waits for the one before it; sh traps TERM so `down` measures the tools, not stop timeouts. */
export function generateProject(n) {
  const out = ['services:'];
  for (let i = 0; i < n; i++) {
    out.push(`  s${i}:`, '    image: busybox:latest', `    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`);
    if (i > 0 && i % 5 === 0) out.push('    depends_on:', `      - s${i - 1}`);
  }
  return out.join('\n') + '\n';
}

function tools() {
  const list = [{ name: 'gantry', argv: ['node', resolve('dist/src/cli/main.js')] }];
  if (hasCommand('docker-compose')) list.push({ name: 'docker-compose', argv: ['docker-compose'] });
  list.push({ name: 'api floor', argv: ['node', resolve('bench/api-floor.mjs')] });
  return list;
}

function step(tool, dir, project, args) {
  const env = { ...process.env, DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' };
  const r = runOnce([...tool.argv, '-p', project, '-f', 'compose.yaml', ...args], dir, env);
  if (r.code !== 0) throw new Error(`${tool.name} ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.wall;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function benchUpDown({ sizes = [10, 50], runs = 3 } = {}) {
  const results = {};
  for (const n of sizes) {
    const dir = resolve(`bench/.work/up-down-${n}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yaml'), generateProject(n));
    const samples = {};
    for (let run = 0; run < runs; run++) {
      for (const tool of tools()) {
        const project = `bench-${{ gantry: 'g', 'docker-compose': 'dc' }[tool.name] ?? 'floor'}-${n}`;
        const s = (samples[tool.name] ??= STEPS.map(() => []));
        try {
          s[0].push(step(tool, dir, project, ['up', '-d']));
          s[1].push(step(tool, dir, project, ['up', '-d']));
          s[2].push(step(tool, dir, project, ['ps']));
          s[3].push(step(tool, dir, project, ['down']));
        } catch (e) {
          runOnce([...tool.argv, '-p', project, '-f', 'compose.yaml', 'down', '-t', '0'], dir);
          throw e;
        }
      }
    }
    results[n] = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, s.map(median)]));
    printTable(n, results[n], runs);
  }
  return results;
}

function printTable(n, byTool, runs) {
  const g = byTool.gantry;
  const dc = byTool['docker-compose'];
  const floor = byTool['api floor'];
  const ms = (x) => `${(x * 1000).toFixed(0)} ms`;
  console.log(`\n${n} services (median of ${runs}):`);
  console.log(`  ${'step'.padEnd(12)} ${'gantry'.padStart(9)} ${'docker-compose'.padStart(15)} ${'ratio'.padStart(7)} ${'api floor'.padStart(10)} ${'floor ratio'.padStart(12)}`);
  STEPS.forEach((name, i) => {
    const b = dc ? ms(dc[i]) : '-';
    const ratio = dc ? `${(dc[i] / g[i]).toFixed(1)}x` : '-';
    // How much faster than docker-compose any client could be on this engine.
    const floorRatio = dc ? `${(dc[i] / floor[i]).toFixed(1)}x` : '-';
    console.log(`  ${name.padEnd(12)} ${ms(g[i]).padStart(9)} ${b.padStart(15)} ${ratio.padStart(7)} ${ms(floor[i]).padStart(10)} ${floorRatio.padStart(12)}`);
  });
  console.log('  ratio = docker-compose / gantry; floor ratio = docker-compose / api floor (the most any client could reach on this engine)');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchUpDown({ runs: Number(process.argv[2] ?? 3) });
}
