// `compose version`: gantry's version and, when an engine is named and answers, the engine's.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom } from '../load-options.js';
import { clientVersionText } from '../client-version.js';
import { packageVersion } from '../package-info.js';

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('Show the gantry version information')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('--short', 'show only the version number')
    .action(async (opts: { format: string; short?: boolean }, cmd: Command) => {
      // --short needs no engine and must start fast.
      if (opts.short) {
        process.stdout.write(`${packageVersion()}\n`);
        return;
      }
      if (opts.format !== 'json' && opts.format !== 'pretty') throw new GantryError('usage', `invalid --format value "${opts.format}"`, { hint: 'one of pretty, json' });
      // The engine's line only when an engine is named (-H or DOCKER_HOST), as
      // `docker compose version` prints only its own: asking the default
      // engine means loading the engine client, several times the start-up
      // of the rest of this command.
      const named = (cmd.optsWithGlobals() as { host?: string }).host ?? process.env.DOCKER_HOST;
      const info: { version: string; engine?: { version: string; apiVersion: string; os?: string; arch?: string } } = named
        ? await (await import('../../project/index.js')).version(engineOptionsFrom(cmd))
        : { version: packageVersion() };
      if (opts.format === 'json') {
        process.stdout.write(JSON.stringify({ version: info.version, ...(info.engine ? { engine: info.engine } : {}) }) + '\n');
        return;
      }
      let text = info.engine ? `gantry version ${info.version}\n` : clientVersionText();
      if (info.engine) text += `engine version ${info.engine.version} (API ${info.engine.apiVersion}${info.engine.os ? `, ${info.engine.os}/${info.engine.arch}` : ''})\n`;
      process.stdout.write(text);
    });
}
