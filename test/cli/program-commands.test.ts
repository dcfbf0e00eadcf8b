// The command listing in program-commands.ts stands in for thirty modules
// that `--help` no longer loads: it must say what they say.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Help } from 'commander';
import { builtHelp, isTopLevelHelp } from '../../src/cli/built-help.js';
import { clientVersionText, isClientOnlyVersion } from '../../src/cli/client-version.js';
import { commandNameIn, COMMANDS } from '../../src/cli/program-commands.js';
import { buildProgram } from '../../src/cli/program.js';

describe('the command listing (lazy command loading)', () => {
  it('lists each command as its module registers it, in the same order', async () => {
    const full = await buildProgram([], true);
    const help = new Help();
    const real = full.commands.map((c) => [c.name(), help.subcommandTerm(c), c.description()]);
    const listed = COMMANDS.filter((e) => e.listed).map((e) => [e.name, ...e.listed!]);
    assert.deepEqual(listed, real);
  });

  it('`--help` reads the same with one command loaded, or none, as with all', async () => {
    const all = (await buildProgram([], true)).helpInformation();
    assert.equal((await buildProgram([])).helpInformation(), all);
    assert.equal((await buildProgram(['config'])).helpInformation(), all);
    assert.equal((await buildProgram(['-f', 'x.yaml', 'engine', 'status'])).helpInformation(), all);
  });

  it('`--help` and `-h` print the text the build wrote, which is the program\'s own help', async () => {
    const all = (await buildProgram([], true)).helpInformation();
    assert.equal(builtHelp(), all, 'help.txt is stale: run npm run build');
    for (const flag of ['--help', '-h']) {
      const r = spawnSync(process.execPath, [resolve('dist/src/cli/main.js'), flag], { encoding: 'utf8', env: { ...process.env, COLUMNS: '40' } });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, all);
    }
    assert.equal(isTopLevelHelp(['config', '--help']), false);
  });

  it('a command loaded alone has its own flags and help', async () => {
    const program = await buildProgram(['config', '--help']);
    const config = program.commands.find((c) => c.name() === 'config')!;
    assert.ok(config.options.some((o) => o.long === '--format'));
    const full = (await buildProgram([], true)).commands.find((c) => c.name() === 'config')!;
    assert.equal(config.helpInformation(), full.helpInformation());
  });

  it('finds the command after the global flags, as commander does', () => {
    assert.equal(commandNameIn(['config']), 'config');
    assert.equal(commandNameIn(['-f', 'a.yaml', '-p', 'x', 'up', '-d']), 'up');
    assert.equal(commandNameIn(['--file', 'a.yaml', '--profile', 'p', '--env-file', 'e', '--project-directory', 'd', 'ps']), 'ps');
    assert.equal(commandNameIn(['-fa.yaml', '--file=b.yaml', '--ansi=never', 'logs']), 'logs');
    assert.equal(commandNameIn(['-H', 'unix:///x.sock', '--progress', 'plain', '--verbose', 'version']), 'version');
    assert.equal(commandNameIn(['help', 'up']), 'up');
    assert.equal(commandNameIn(['--help']), undefined);
    assert.equal(commandNameIn([]), undefined);
  });

  it('a command the scan misses still runs: the CLI loads everything and parses again', () => {
    // After `--` commander still dispatches to a command; the scan stops there.
    assert.equal(commandNameIn(['--', 'version']), undefined);
    const main = resolve('src/cli/main.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', main, '--', 'version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^gantry version \d+\.\d+\.\d+\n/);
  });

  it('a plain `version` that names no engine is answered before commander loads, with the same text', () => {
    assert.equal(isClientOnlyVersion(['version'], {}), true);
    assert.equal(isClientOnlyVersion(['version'], { DOCKER_HOST: 'unix:///x.sock' }), false);
    assert.equal(isClientOnlyVersion(['-H', 'unix:///x.sock', 'version'], {}), false);
    assert.equal(isClientOnlyVersion(['version', '--format', 'json'], {}), false);
    assert.match(clientVersionText(), /^gantry version \d+\.\d+\.\d+\n$/);
    const main = resolve('src/cli/main.ts');
    const env = { ...process.env };
    delete env.DOCKER_HOST;
    const fast = spawnSync(process.execPath, ['--import', 'tsx', main, 'version'], { encoding: 'utf8', env });
    const full = spawnSync(process.execPath, ['--import', 'tsx', main, '--ansi', 'never', 'version'], { encoding: 'utf8', env });
    assert.equal(fast.status, 0, fast.stderr);
    assert.equal(fast.stdout, clientVersionText());
    assert.equal(full.stdout, fast.stdout);
  });
});

describe('the built CLI entry point', () => {
  it('is executable after every build, so npx compose keeps working once dist is rebuilt', () => {
    assert.ok((statSync(resolve('dist/src/cli/main.js')).mode & 0o111) !== 0, 'dist/src/cli/main.js lost its execute bits (npx compose: Permission denied)');
  });
});
