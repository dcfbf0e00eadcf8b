// spec/ owns the compose model: compose files in, one validated, normalized
// Project out. It reads files and runs nothing.
//
// The stages, in order (each a function over a plain tree; positions ride
// beside the tree, see tree.ts):
//   per file:  read YAML → interpolate → validate against the schema →
//              canonical long forms (paths absolute) → include → extends
//   together:  merge files in order (!reset/!override) → project name →
//              profiles → normalize (default network, names, env_file) →
//              semantic checks → bind to the typed Project
// Interpolation runs per file before anything else, as the spec says, so a
// later file cannot change what an earlier one's variables meant.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GantryError } from '../common/errors.js';
import { bindProject } from './bind.js';
import { canonicalize } from './canonical.js';
import { checkProject } from './checks.js';
import { dedupeWarnings, type Lookup, type Warning, type WarningSink } from './context.js';
import { discoverFiles, resolveProjectName, STDIN } from './discover.js';
import { buildEnvironment } from './environment.js';
import { applyExtends } from './extends.js';
import { applyInclude, type IncludeRequest } from './include.js';
import { interpolateString, interpolateTree } from './interpolate.js';
import { mergeDocuments, settleTags } from './merge.js';
import { normalize } from './normalize.js';
import { activeProfiles, applyProfiles } from './profiles.js';
import { parseComposeYaml } from './read.js';
import { isMapping, type Mapping } from './tree.js';
import type { Project } from './types.js';
import { validateSchema } from './validate.js';

export type { Project, ServiceConfig } from './types.js';
export type { Warning } from './context.js';

export interface LoadOptions {
  /** Where relative `-f` paths and the file search start. Default: process.cwd(). */
  workingDir?: string;
  /** `-f`, in order; `-` reads `stdin`. Default: COMPOSE_FILE, else search. */
  files?: string[];
  /** Content for `-f -`. */
  stdin?: string | (() => Promise<string>);
  /** `--project-directory`. Default: the first file's directory. */
  projectDirectory?: string;
  /** `-p`. */
  projectName?: string;
  /** `--env-file`, in order; replaces the default `.env`. */
  envFiles?: string[];
  /** The process environment. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** `--profile`. Default: COMPOSE_PROFILES. */
  profiles?: string[];
  /** Services named on the command line: they are enabled whatever their profiles. */
  services?: string[];
  /** `--no-interpolate` sets false. */
  interpolate?: boolean;
  /** `--no-normalize` sets false: no default network, names or env_file contents. */
  normalize?: boolean;
  /** Warnings (unset variables, ignored fields). Default: dropped. */
  onWarning?: WarningSink;
}

export async function loadProject(options: LoadOptions = {}): Promise<Project> {
  const warn = dedupeWarnings(options.onWarning ?? (() => {}));
  const workingDir = resolve(options.workingDir ?? process.cwd());
  const processEnv = options.env ?? process.env;
  const explicitDir = options.projectDirectory ? resolve(workingDir, options.projectDirectory) : undefined;

  // COMPOSE_FILE may itself come from a .env next to where we stand.
  const preliminary = buildEnvironment({ processEnv, projectDir: explicitDir ?? workingDir, envFiles: absolute(workingDir, options.envFiles) });
  const discovered = discoverFiles({ workingDir, files: options.files, env: preliminary.variables });
  for (const message of discovered.warnings) warn({ message });

  const firstFile = discovered.files[0]!;
  const projectDir = explicitDir ?? (firstFile === STDIN ? workingDir : dirname(firstFile));
  const environment =
    projectDir === (explicitDir ?? workingDir)
      ? preliminary
      : buildEnvironment({ processEnv, projectDir, envFiles: absolute(workingDir, options.envFiles) });

  const stdinText = discovered.files.includes(STDIN) ? await readStdin(options.stdin) : undefined;
  const sources = discovered.files.map((file) => ({
    file,
    text: file === STDIN ? stdinText! : readText(file),
  }));
  const input: LoadInput = { options, sources, projectDir, variables: environment.variables, processEnv, configFiles: discovered.files };

  // Recording where every node is written is a large share of a big file's
  // load (time and memory), and only an error or a warning ever shows it.
  // So the first pass records nothing; when it has anything to report, the
  // load runs again with positions, and that run reports. The stages are
  // pure functions of the same texts and variables, so it reports the same.
  const held: Warning[] = [];
  try {
    const project = await loadSources(input, false, (w) => held.push(w));
    if (held.length === 0) return project;
  } catch {
    // worded again, with positions, below
  }
  return loadSources(input, true, warn);
}

interface LoadInput {
  options: LoadOptions;
  sources: { file: string; text: string }[];
  projectDir: string;
  variables: Record<string, string>;
  processEnv: Record<string, string | undefined>;
  configFiles: string[];
}

/** Every stage after the files are read; `positions` as in loadProject. */
async function loadSources(input: LoadInput, positions: boolean, warn: WarningSink): Promise<Project> {
  const { options, projectDir } = input;
  const variables = { ...input.variables };
  // The project name is known before interpolation so files may use
  // ${COMPOSE_PROJECT_NAME}; a top-level `name:` may itself be interpolated.
  const parsed = input.sources.map((s) => ({ file: s.file, tree: parseComposeYaml(s.text, s.file === STDIN ? '(stdin)' : s.file, positions) }));
  const interpolating = options.interpolate !== false;
  let declared: string | undefined;
  for (const p of parsed) {
    if (typeof p.tree.name === 'string') declared = interpolating ? interpolateString(p.tree.name, lookupIn(variables), ['name'], p.tree) : p.tree.name;
  }
  const name = resolveProjectName({ flag: options.projectName, env: variables.COMPOSE_PROJECT_NAME, declared, projectDir });
  variables.COMPOSE_PROJECT_NAME ??= name;
  const lookup = lookupIn(variables);

  const loader = new DocumentLoader({ lookup, warn, interpolate: interpolating, processEnv: input.processEnv, positions });
  let merged: Mapping | undefined;
  for (const p of parsed) {
    const doc = await loader.process(p.tree, p.file, projectDir, []);
    merged = merged === undefined ? settleTags(doc) : settleTags(mergeDocuments(merged, doc));
  }
  const doc = merged!;
  doc.name = name;

  const profiles = options.profiles ?? splitList(variables.COMPOSE_PROFILES);
  const named = options.services ?? [];
  checkNamedServices(doc, named);
  const active = activeProfiles(doc, profiles, named);
  const disabled = applyProfiles(doc, profiles, named);
  if (options.normalize !== false) await normalize(doc, { projectName: name, projectDir, lookup, warn });
  checkProject(doc, { disabled, warn });

  return bindProject({
    doc,
    disabled,
    name,
    workingDir: projectDir,
    configFiles: input.configFiles,
    environment: variables,
    profiles: active,
  });
}

interface LoaderSettings {
  lookup: Lookup;
  warn: WarningSink;
  interpolate: boolean;
  processEnv: Record<string, string | undefined>;
  positions: boolean;
}

/** Runs the per-file stages; shared by -f files, extends targets and includes. */
class DocumentLoader {
  private readonly extendsCache = new Map<string, Promise<Mapping>>();

  constructor(private readonly settings: LoaderSettings) {}

  async process(tree: Mapping, file: string, baseDir: string, chain: string[], lookup = this.settings.lookup): Promise<Mapping> {
    const { warn } = this.settings;
    if (this.settings.interpolate) interpolateTree(tree, lookup, warn);
    validateSchema(tree);
    canonicalize(tree, { baseDir, lookup, warn, interpolated: this.settings.interpolate });
    await applyInclude(tree, {
      file,
      baseDir,
      chain: [...chain, file],
      warn,
      loadProject: (req, c) => this.loadIncluded(req, c),
    });
    await applyExtends(tree, {
      file,
      baseDir,
      warn,
      loadDocument: (path) => this.loadForExtends(path, lookup),
    });
    return tree;
  }

  /** Another file named by `extends.file`: same variables, its own directory. */
  private loadForExtends(path: string, lookup: Lookup): Promise<Mapping> {
    let p = this.extendsCache.get(path);
    if (!p) {
      p = (async () => {
        const tree = parseComposeYaml(readText(path), path, this.settings.positions);
        if (this.settings.interpolate) interpolateTree(tree, lookup, this.settings.warn);
        validateSchema(tree);
        return canonicalize(tree, { baseDir: dirname(path), lookup, warn: this.settings.warn, interpolated: this.settings.interpolate });
      })();
      this.extendsCache.set(path, p);
    }
    return p;
  }

  /** An `include`d project: its own directory and its own environment. */
  private async loadIncluded(req: IncludeRequest, chain: string[]): Promise<Mapping> {
    const env = buildEnvironment({
      processEnv: this.settings.processEnv,
      projectDir: req.projectDirectory,
      envFiles: req.envFiles.length > 0 ? req.envFiles : undefined,
    });
    const lookup = lookupIn(env.variables);
    let merged: Mapping | undefined;
    for (const file of req.files) {
      const tree = parseComposeYaml(readText(file), file, this.settings.positions);
      const doc = await this.process(tree, file, req.projectDirectory, chain, lookup);
      merged = merged === undefined ? settleTags(doc) : settleTags(mergeDocuments(merged, doc));
    }
    return merged ?? {};
  }
}

function checkNamedServices(doc: Mapping, named: string[]): void {
  const services = isMapping(doc.services) ? doc.services : {};
  for (const n of named) {
    if (!(n in services)) {
      const known = Object.keys(services);
      throw new GantryError('usage', `no such service: ${n}`, { hint: known.length ? `services in this project: ${known.join(', ')}` : undefined });
    }
  }
}

function lookupIn(vars: Record<string, string>): Lookup {
  return (name) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined);
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function absolute(dir: string, files: string[] | undefined): string[] | undefined {
  return files?.map((f) => resolve(dir, f));
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new GantryError('file', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

async function readStdin(source: LoadOptions['stdin']): Promise<string> {
  if (typeof source === 'string') return source;
  if (source) return source();
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export { projectToDocument } from './render.js';
export { serviceConfigHash } from './hash.js';
export { toYaml } from './yaml-emit.js';
export type { Warning as LoadWarning };
