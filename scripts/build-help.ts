// Build step after tsc: `compose --help` rendered once from the program
// itself into dist/src/cli/help.txt, which main.ts prints without loading
// commander (test/cli/program-commands.test.ts holds it to the program).
//
//   node dist/scripts/build-help.js

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HELP_FILE } from '../src/cli/built-help.js';
import { buildProgram } from '../src/cli/program.js';

const text = (await buildProgram([], true)).helpInformation();
writeFileSync(fileURLToPath(HELP_FILE), text);
console.log(`build-help: ${fileURLToPath(HELP_FILE)} (${text.length} bytes)`);
