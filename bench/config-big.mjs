// `compose config` on a generated 1,000-service file, whole process, against
// Debian's docker-compose (v1, python) in the same run when it is installed.
// Goal (issue 3): under 0.4 s wall, under 100 MiB peak RSS, >= 9x faster.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateBig } from './gen-big.mjs';
import { fmt, hasCommand, measure } from './measure.mjs';

export function benchConfigBig({ runs = 5 } = {}) {
  const dir = resolve('bench/.work/big');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), generateBig(1000));
  const cli = resolve('dist/src/cli/main.js');
  const results = {};
  results.gantry = measure(['node', cli, '-f', 'compose.yaml', 'config'], { runs, cwd: dir });
  results.gantryQuiet = measure(['node', cli, '-f', 'compose.yaml', 'config', '-q'], { runs, cwd: dir });
  console.log(`gantry config (1,000 services):          ${fmt(results.gantry)}`);
  console.log(`gantry config -q:                        ${fmt(results.gantryQuiet)}`);
  if (hasCommand('docker-compose')) {
    results.dockerCompose = measure(['docker-compose', '-f', 'compose.yaml', 'config'], { runs: Math.max(3, Math.min(runs, 5)), cwd: dir });
    console.log(`docker-compose config (1,000 services):  ${fmt(results.dockerCompose)}`);
    console.log(`ratio docker-compose / gantry:           ${(results.dockerCompose.median / results.gantry.median).toFixed(1)}x`);
  } else {
    console.log('docker-compose: not installed (apt-get install docker-compose) — no side-by-side ratio');
  }
  return results;
}

export function benchStartup({ runs = 15 } = {}) {
  const cli = resolve('dist/src/cli/main.js');
  const help = measure(['node', cli, '--help'], { runs });
  const version = measure(['node', cli, 'version'], { runs });
  const bare = measure(['node', '-e', '0'], { runs });
  console.log(`compose --help:                          ${fmt(help)}`);
  console.log(`compose version:                         ${fmt(version)}`);
  console.log(`node -e 0 (the floor):                   ${fmt(bare)}`);
  return { help, version, bare };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchStartup();
  benchConfigBig();
}
