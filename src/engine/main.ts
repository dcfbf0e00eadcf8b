#!/usr/bin/env node
// The engine's own entry point: `node dist/src/engine/main.js [--socket …]
// [--data-root …] [--exec-root …] [--runtime …]`. `compose engine start`
// and the client's on-demand start run this in the background; it logs to
// its log file and stops cleanly on SIGTERM or SIGINT.

import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { EngineStartError, startEngine } from './daemon.js';
import { defaultEngineOptions } from './options.js';

const { values } = parseArgs({
  options: {
    socket: { type: 'string' },
    'data-root': { type: 'string' },
    'exec-root': { type: 'string' },
    runtime: { type: 'string' },
    'log-file': { type: 'string' },
    // Tests and benchmarks: leave nothing on the host (containers, bridges, rules) when stopped.
    ephemeral: { type: 'boolean' },
  },
  strict: true,
});

const options = defaultEngineOptions({
  socketPath: values.socket,
  dataRoot: values['data-root'],
  execRoot: values['exec-root'],
  runtime: values.runtime,
  logFile: values['log-file'],
});
mkdirSync(dirname(options.logFile), { recursive: true });
const log = (line: string) => {
  try {
    appendFileSync(options.logFile, `${new Date().toISOString()} ${line}\n`);
  } catch {
    // Logging must never take the engine down.
  }
};

try {
  const engine = await startEngine(options, log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping (containers keep running)`);
    await engine.stop({ purge: values.ephemeral });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e}`));
  process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));
} catch (e) {
  const message = e instanceof EngineStartError ? e.message : `the gantry engine failed to start: ${(e as Error).message}`;
  log(message);
  process.stderr.write(message + '\n');
  process.exit(1);
}
