// Compiles native/gantry-monitor.c to dist/native/gantry-monitor. Plain .mjs so
// it runs after tsc without being compiled itself; skips the compile when the
// binary is newer than its source.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'gantry-monitor.c');
const output = join(root, 'dist', 'native', 'gantry-monitor');

function upToDate() {
  if (!existsSync(output)) return false;
  return statSync(output).mtimeMs >= statSync(source).mtimeMs;
}

function findCompiler() {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang']) {
    if (!cc) continue;
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
      return cc;
    } catch {
      // not this one
    }
  }
  return undefined;
}

if (!upToDate()) {
  const cc = findCompiler();
  if (!cc) {
    process.stderr.write('build-native: no C compiler found to build the container monitor: install gcc (apt-get install gcc libc6-dev)\n');
    process.exit(1);
  }
  mkdirSync(dirname(output), { recursive: true });
  const flags = ['-O2', '-Wall', '-Wextra', '-o', output, source];
  // Static glibc roughly halves the monitor's RSS (no shared-library pages
  // mapped per process): about 0.9 MiB instead of 1.6 MiB per container.
  // Where no static libc is installed, the dynamic build is as correct.
  try {
    execFileSync(cc, ['-static', ...flags], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch {
    try {
      execFileSync(cc, flags, { stdio: 'inherit' });
    } catch {
      process.stderr.write(`build-native: ${cc} failed to compile ${source}\n`);
      process.exit(1);
    }
  }
}
