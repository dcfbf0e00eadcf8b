// `compose version`
import type { Command } from 'commander';
import { packageVersion } from '../package-info.js';

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('Show the gantry version information')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('--short', 'show only the version number')
    .action((opts: { format: string; short?: boolean }) => {
      const version = packageVersion();
      if (opts.short) process.stdout.write(`${version}\n`);
      else if (opts.format === 'json') process.stdout.write(JSON.stringify({ version }) + '\n');
      else process.stdout.write(`gantry version ${version}\n`);
    });
}
