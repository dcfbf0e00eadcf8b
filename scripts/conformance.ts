// Conformance of schemas/compose-spec.json with the official Compose schema:
// every file of test/fixtures/conformance/{valid,invalid} is validated by both,
// and every disagreement is listed. Ours may only be stricter, and only where
// the schema says so: a node whose $comment starts with "stricter: <id>:", and
// a corpus file that declares `# stricter: <id>` in its header comment.
//
//   npm run conformance        (node dist/scripts/conformance.js)
//
// Exits 1 on an undocumented disagreement or a corpus file in the wrong
// folder; 0 when the official schema is not there to compare with.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import YAML from 'yaml';
import { composeSchemaFile, packageRoot } from '../src/spec/schema-validator.js';

type Verdict = 'accepts' | 'rejects';

interface Outcome {
  file: string;
  folder: 'valid' | 'invalid';
  ours: Verdict;
  official: Verdict;
  declared?: string;
  problem?: string;
}

const root = packageRoot();
const officialFile = join(root, '..', 'shared', 'spec', 'compose-spec.json');
if (!existsSync(officialFile)) {
  console.log(`conformance: no official schema at ${officialFile}; nothing to compare with`);
  process.exit(0);
}

const oursSchema = JSON.parse(readFileSync(composeSchemaFile(), 'utf8')) as unknown;
const documented = stricterIds(oursSchema);
const ours = compile(oursSchema);
const official = compile(JSON.parse(readFileSync(officialFile, 'utf8')));
const corpus = join(root, 'test', 'fixtures', 'conformance');

const outcomes: Outcome[] = [];
for (const folder of ['valid', 'invalid'] as const) {
  const dir = join(corpus, folder);
  for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    const doc = YAML.parse(text, { merge: true, maxAliasCount: -1 }) as unknown;
    const outcome: Outcome = {
      file: relative(root, file),
      folder,
      ours: ours(doc) ? 'accepts' : 'rejects',
      official: official(doc) ? 'accepts' : 'rejects',
      declared: /^#\s*stricter:\s*([\w-]+)/m.exec(text)?.[1],
    };
    outcome.problem = judge(outcome);
    outcomes.push(outcome);
  }
}

const disagreements = outcomes.filter((o) => o.ours !== o.official);
const problems = outcomes.filter((o) => o.problem);
console.log(`conformance: ${relative(root, composeSchemaFile())} vs ${officialFile}`);
console.log(`documented strictness in our schema: ${[...documented].sort().join(', ') || '(none)'}`);
if (disagreements.length > 0) {
  console.log('\ndisagreements:');
  for (const o of disagreements) {
    const why = o.problem ? `UNDOCUMENTED: ${o.problem}` : `documented (stricter: ${o.declared})`;
    console.log(`  ${o.file}: ours ${o.ours}, official ${o.official} — ${why}`);
  }
}
const others = problems.filter((o) => o.ours === o.official);
if (others.length > 0) {
  console.log('\ncorpus problems:');
  for (const o of others) console.log(`  ${o.file}: ${o.problem}`);
}
const unused = [...documented].filter((id) => !outcomes.some((o) => o.declared === id && o.ours !== o.official));
if (unused.length > 0) console.log(`\nnote: no corpus file shows the strictness ${unused.join(', ')}`);

const valid = outcomes.filter((o) => o.folder === 'valid').length;
console.log(
  `\n${outcomes.length} files (${valid} valid, ${outcomes.length - valid} invalid): ` +
    `${outcomes.length - disagreements.length} agree, ` +
    `${disagreements.length - disagreements.filter((o) => o.problem).length} documented disagreements, ` +
    `${disagreements.filter((o) => o.problem).length} undocumented, ${others.length} corpus problems`,
);
process.exit(problems.length > 0 ? 1 : 0);

/** What is wrong with one file's outcome, if anything. */
function judge(o: Outcome): string | undefined {
  if (o.ours !== o.official) {
    if (o.ours === 'accepts') return 'ours accepts what the official schema rejects';
    if (!o.declared) return 'ours rejects it, and the file declares no "# stricter: <id>"';
    if (!documented.has(o.declared)) return `the file declares "stricter: ${o.declared}", which no $comment in our schema documents`;
    return undefined;
  }
  if (o.declared) return `declares "stricter: ${o.declared}" but both schemas ${o.ours === 'accepts' ? 'accept' : 'reject'} it`;
  if (o.folder === 'valid' && o.ours === 'rejects') return 'in valid/ but both schemas reject it';
  if (o.folder === 'invalid' && o.ours === 'accepts') return 'in invalid/ but both schemas accept it';
  return undefined;
}

function compile(schema: unknown): ValidateFunction {
  // The official schema names draft-07 by an address ajv does not know; skip the meta-check.
  return new Ajv({ allErrors: false, strict: false, validateSchema: false }).compile(schema as object);
}

/** The ids of every `$comment: "stricter: <id>: …"` in the schema. */
function stricterIds(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) stricterIds(n, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$comment' && typeof v === 'string') {
        const id = /^stricter:\s*([\w-]+):/.exec(v)?.[1];
        if (id) out.add(id);
      } else stricterIds(v, out);
    }
  }
  return out;
}
