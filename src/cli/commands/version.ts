// `compose version`: gantry's version and, when one answers, the engine's.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom } from '../load-options.js';
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
      const project = await import('../../project/index.js');
      const info = await project.version(engineOptionsFrom(cmd));
      if (opts.format === 'json') {
        process.stdout.write(JSON.stringify({ version: info.version, ...(info.engine ? { engine: info.engine } : {}) }) + '\n');
        return;
      }
      let text = `gantry version ${info.version}\n`;
      if (info.engine) text += `engine version ${info.engine.version} (API ${info.engine.apiVersion}${info.engine.os ? `, ${info.engine.os}/${info.engine.arch}` : ''})\n`;
      process.stdout.write(text);
    });
}
