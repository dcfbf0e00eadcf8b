// `POST /build`, the classic builder: stage after stage, instruction after
// instruction, each reported as docker's JSON stream does (`Step n/m : …`,
// ` ---> <id>`), a layer for each filesystem change, a cached result reused
// when the same instruction ran on the same parent before.

import { posix } from 'node:path';
import { familiarName, normalizeTag, shortId } from '../image-names.js';
import { hostArchitecture } from '../image-config.js';
import type { StoredImage } from '../image-store.js';
import type { BuildCache } from './build-cache.js';
import { BuildError, chainKey, cloneConfig, configId, emptyConfig, lookupIn, PREDEFINED_ARGS, runtimeOf, type StageState } from './build-state.js';
import { applyConfigInstruction, commandOf, workdirOf } from './config-instructions.js';
import { copyInto, findSources, parseChown, sourcesDigest, type Source } from './copy-files.js';
import { parseDockerfile, parseTriggers, type ParsedDockerfile, type Step } from './dockerfile-stages.js';
import { ensureDir, hostChange, mountLayers, runStep, withMountedLayers, type FilesystemDeps } from './filesystem-steps.js';
import { mountKeyParts, parseRunMount, prepareRunMounts } from './run-mounts.js';
import { expandWord, expandWords } from './word-expansion.js';

export type BuildMessage = { stream: string } | { aux: { ID: string } };

export interface BuildOptions {
  contextDir: string;
  dockerfile: string;
  tags: string[];
  buildArgs: Record<string, string>;
  target?: string;
  labels: Record<string, string>;
  noCache: boolean;
  quiet: boolean;
  /** `--pull`: fetch every base image again, even one the engine has. */
  pull?: boolean;
}

export interface BuilderDeps extends FilesystemDeps {
  cache: BuildCache;
  /** Where RUN --mount=type=cache directories are kept between builds. */
  cacheMountRoot: string;
  /** Fetches a base image the engine lacks (or, with the build's `pull`, every base image) from its registry. */
  pull?: (ref: string) => Promise<StoredImage>;
}

export class ImageBuilder {
  private readonly df: ParsedDockerfile;
  private readonly stages: StageState[] = [];
  private readonly usedArgs = new Set<string>();
  private readonly globalArgs = new Map<string, string>();
  private stepNo = 0;
  private totalSteps = 0;

  constructor(
    private readonly deps: BuilderDeps,
    private readonly opts: BuildOptions,
    private readonly emit: (m: BuildMessage) => void,
  ) {
    this.df = parseDockerfile(opts.dockerfile);
  }

  private out(text: string): void {
    if (!this.opts.quiet) this.emit({ stream: text });
  }

  private get escape(): string {
    return this.df.escape;
  }

  /** Index of the last stage to build. */
  private targetIndex(): number {
    if (!this.opts.target) return this.df.stages.length - 1;
    const i = this.df.stages.findIndex((s) => stageName(s.from.args)?.toLowerCase() === this.opts.target!.toLowerCase());
    if (i < 0) throw new BuildError(`failed to reach build target ${this.opts.target} in Dockerfile`);
    return i;
  }

  async build(): Promise<StoredImage> {
    const last = this.targetIndex();
    const stages = this.df.stages.slice(0, last + 1);
    this.totalSteps = stages.reduce((n, s) => n + 1 + s.steps.length, 0);
    for (const a of this.df.globalArgs) this.declareArg(a, this.globalArgs, (n) => this.globalArgs.get(n));
    for (const stage of stages) {
      const state = await this.from(stage.from);
      this.stages.push(state);
      for (const step of stage.steps) {
        this.announce(step);
        await this.step(step, state);
      }
    }
    const unused = Object.keys(this.opts.buildArgs).filter((k) => !this.usedArgs.has(k) && !PREDEFINED_ARGS.has(k));
    if (unused.length) this.out(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
    return this.finish(this.stages[this.stages.length - 1]!);
  }

  private announce(step: Step): void {
    this.stepNo++;
    this.out(`Step ${this.stepNo}/${this.totalSteps} : ${step.keyword} ${step.text}\n`);
  }

  /** `ARG name[=default]`: a build arg overrides the default; a bare global ARG redeclared in a stage takes the global value. */
  private declareArg(step: Step, into: Map<string, string>, fallback: (name: string) => string | undefined): void {
    for (const word of expandWords(step.args, (n) => fallback(n), this.escape)) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word : word.slice(0, eq);
      if (!name) throw new BuildError(`ARG names can not be blank`);
      this.usedArgs.add(name);
      const value = name in this.opts.buildArgs ? this.opts.buildArgs[name] : eq >= 0 ? word.slice(eq + 1) : this.globalArgs.get(name);
      if (value !== undefined) into.set(name, value);
      else into.delete(name);
    }
  }

  private async from(step: Step): Promise<StageState> {
    this.announce(step);
    const words = expandWords(step.args, (n) => this.globalArgs.get(n), this.escape);
    const ref = words[0];
    if (!ref || (words.length !== 1 && !(words.length === 3 && words[1]!.toLowerCase() === 'as'))) {
      throw new BuildError(`FROM requires either one or three arguments: ${step.text}`);
    }
    const name = words.length === 3 ? words[2]!.toLowerCase() : undefined;
    const stage = this.stages.find((s) => s.name && s.name === ref.toLowerCase());
    let state: StageState;
    if (stage) {
      state = { name, config: cloneConfig(stage.config), imageId: stage.imageId, key: stage.key, args: new Map(), cmdSet: false };
    } else if (ref === 'scratch') {
      state = { name, config: emptyConfig(hostArchitecture()), key: chainKey('scratch'), args: new Map(), cmdSet: false };
    } else {
      const img = await this.baseImage(ref);
      state = { name, config: cloneConfig(img.config), imageId: img.id, key: chainKey(img.id), args: new Map(), cmdSet: false };
    }
    this.out(` ---> ${shortId(state.imageId ?? configId(state.config))}\n`);
    const triggers = runtimeOf(state).OnBuild ?? [];
    if (triggers.length) {
      runtimeOf(state).OnBuild = null;
      this.out(`# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}\n`);
      for (const t of parseTriggers(triggers)) await this.step(t, state);
    }
    return state;
  }

  private async baseImage(ref: string): Promise<StoredImage> {
    let present: StoredImage | undefined;
    try {
      present = this.deps.images.resolve(ref);
    } catch {
      present = undefined;
    }
    if (present && !this.opts.pull) return present;
    if (!this.deps.pull) {
      if (present) return present;
      throw new BuildError(`pull access denied for ${ref}: the image is not in this engine and this build cannot pull; load or pull it first`);
    }
    try {
      return await this.deps.pull(ref);
    } catch (e) {
      // `--pull` on an image only present locally (made here, never pushed) keeps the local one, as docker does.
      if (present) return present;
      throw new BuildError(`pulling ${ref}: ${(e as Error).message}`);
    }
  }

  private async step(step: Step, state: StageState): Promise<void> {
    if (step.keyword === 'ARG') {
      this.declareArg(step, state.args, (n) => lookupIn(state)(n));
      state.key = chainKey(state.key, 'ARG', step.args, ...[...state.args].map(([k, v]) => `${k}=${v}`));
      this.out(` ---> ${shortId(configId(state.config))}\n`);
      return;
    }
    const keyword = step.keyword;
    if (applyConfigInstruction(step, state, this.escape)) {
      state.key = chainKey(state.key, keyword, step.text, JSON.stringify(runtimeOf(state)));
      this.noteEmptyLayer(state, `/bin/sh -c #(nop)  ${keyword} ${step.text}`);
      this.out(` ---> ${shortId(configId(state.config))}\n`);
      return;
    }
    switch (keyword) {
      case 'RUN':
        return this.run(step, state);
      case 'COPY':
      case 'ADD':
        return this.copy(step, state);
      case 'WORKDIR':
        return this.workdir(step, state);
      default:
        throw new BuildError(`${keyword} is not supported here`);
    }
  }

  private noteEmptyLayer(state: StageState, createdBy: string): void {
    (state.config.history ??= []).push({ created: new Date().toISOString(), created_by: createdBy, empty_layer: true });
  }

  /** A cached result for key, adopted by the stage; false on a miss. */
  private fromCache(key: string, state: StageState): boolean {
    if (this.opts.noCache) return false;
    const hit = this.deps.cache.get(key);
    if (!hit) return false;
    this.adopt(state, hit, key);
    this.out(` ---> Using cache\n ---> ${shortId(hit.id)}\n`);
    return true;
  }

  private adopt(state: StageState, img: StoredImage, key: string): void {
    state.config = cloneConfig(img.config);
    state.imageId = img.id;
    state.key = key;
  }

  private stored(key: string, state: StageState, img: StoredImage): void {
    this.adopt(state, img, key);
    this.deps.cache.put(key, img.id);
    this.out(` ---> ${shortId(img.id)}\n`);
  }

  private async run(step: Step, state: StageState): Promise<void> {
    const cmd = commandOf(state, step.args);
    const argValues = [...state.args].map(([k, v]) => `${k}=${v}`);
    const lookup = lookupIn(state);
    const networkMode = runNetwork(step.flags.network);
    const wanted = step.mounts.map((spec) => parseRunMount(expandWord(spec, lookup, this.escape), runtimeOf(state).WorkingDir ?? '/'));
    const sources = {
      contextDir: this.opts.contextDir,
      cacheRoot: this.deps.cacheMountRoot,
      keyOf: (from: string) => this.fromSource(from, 'RUN --mount').key,
      mountFrom: (from: string) => mountLayers(this.deps, this.fromSource(from, 'RUN --mount').diffIds),
    };
    const key = chainKey(state.key, 'RUN', JSON.stringify(cmd), ...argValues, ...(networkMode === 'bridge' ? [] : [`network=${networkMode}`]), ...mountKeyParts(wanted, sources));
    if (this.fromCache(key, state)) return;
    const buildArgs: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.opts.buildArgs)) buildArgs[k] = v;
    const prefix = argValues.length ? `|${argValues.length} ${argValues.join(' ')} ` : '';
    const prepared = await prepareRunMounts(wanted, sources);
    try {
      const img = await runStep(this.deps, state, { cmd, buildArgs, output: (t) => this.out(t), createdBy: `${prefix}${cmd.join(' ')}`, mounts: prepared.mounts, networkMode });
      this.stored(key, state, img);
    } finally {
      await prepared.release();
    }
  }

  private async workdir(step: Step, state: StageState): Promise<void> {
    const dir = workdirOf(step, state, this.escape);
    runtimeOf(state).WorkingDir = dir;
    const key = chainKey(state.key, 'WORKDIR', dir);
    if (this.fromCache(key, state)) return;
    const img = await hostChange(this.deps, state, `/bin/sh -c #(nop) WORKDIR ${dir}`, async (rootfs) => ensureDir(rootfs, dir));
    if (img) return this.stored(key, state, img);
    state.key = key;
    this.noteEmptyLayer(state, `/bin/sh -c #(nop) WORKDIR ${dir}`);
    this.out(` ---> ${shortId(configId(state.config))}\n`);
  }

  /** The filesystem a `--from` names: an earlier stage, its index, or an image. */
  private fromSource(from: string, what = 'COPY'): { diffIds: string[]; key: string } {
    const byName = this.stages.find((s) => s.name === from.toLowerCase());
    const byIndex = /^\d+$/.test(from) ? this.stages[Number(from)] : undefined;
    const stage = byName ?? byIndex;
    if (stage) return { diffIds: stage.config.rootfs.diff_ids, key: stage.key };
    try {
      const img = this.deps.images.resolve(from);
      return { diffIds: img.config.rootfs.diff_ids, key: img.id };
    } catch {
      throw new BuildError(`${what} --from=${from}: no stage or image of that name`);
    }
  }

  private async copy(step: Step, state: StageState): Promise<void> {
    const keyword = step.keyword;
    const lookup = lookupIn(state);
    const words = step.args.startsWith('[') ? (JSON.parse(step.args) as string[]) : expandWords(step.args, lookup, this.escape);
    if (words.length < 2) throw new BuildError(`${keyword} requires at least two arguments, but only ${words.length} provided`);
    const dest0 = words[words.length - 1]!;
    const srcPatterns = words.slice(0, -1);
    if (keyword === 'ADD' && srcPatterns.some((s) => /^[a-z]+:\/\//i.test(s))) {
      throw new BuildError(`ADD from a URL is not supported: this engine builds without internet access; download the file into the build context and ADD it from there`);
    }
    const workdir = runtimeOf(state).WorkingDir || '/';
    const dest = posix.isAbsolute(dest0) ? dest0 : posix.join(workdir, dest0) + (dest0.endsWith('/') || dest0 === '.' ? '/' : '');
    const fromRef = step.flags.from ? expandWord(step.flags.from, lookup, this.escape) : undefined;
    const chown = step.flags.chown ? expandWord(step.flags.chown, lookup, this.escape) : undefined;
    const chmod = step.flags.chmod ? parseInt(step.flags.chmod, 8) : undefined;
    if (chmod !== undefined && (Number.isNaN(chmod) || chmod > 0o7777)) throw new BuildError(`invalid --chmod ${step.flags.chmod}`);
    const createdBy = `/bin/sh -c #(nop) ${keyword} ${step.text}`;

    const doCopy = async (srcRoot: string, sourceKey: string) => {
      const sources: Source[] = srcPatterns.flatMap((p) => findSources(srcRoot, p, `${keyword} failed`));
      const key = chainKey(state.key, keyword, JSON.stringify(srcPatterns), dest, chown ?? '', String(chmod ?? ''), sourceKey, sourcesDigest(sources));
      if (this.fromCache(key, state)) return;
      const img = await hostChange(this.deps, state, createdBy, async (rootfs) => {
        const owner = chown ? parseChown(chown, rootfs) : { uid: 0, gid: 0 };
        await copyInto(rootfs, sources, dest, { owner, mode: chmod, extractArchives: keyword === 'ADD' });
        return true;
      });
      this.stored(key, state, img!);
    };
    if (fromRef === undefined) return doCopy(this.opts.contextDir, 'context');
    const src = this.fromSource(fromRef);
    await withMountedLayers(this.deps, src.diffIds, (rootfs) => doCopy(rootfs, src.key));
  }

  /** The target stage as the built image: build labels added, tagged. */
  private finish(state: StageState): StoredImage {
    const rc = runtimeOf(state);
    if (Object.keys(this.opts.labels).length) rc.Labels = { ...(rc.Labels ?? {}), ...this.opts.labels };
    const key = chainKey(state.key, 'final', JSON.stringify(this.opts.labels));
    const cached = this.opts.noCache ? undefined : this.deps.cache.get(key);
    let image = cached ?? this.deps.images.addImage(Buffer.from(JSON.stringify(state.config)));
    for (const t of this.opts.tags) this.deps.images.tag(image.id, t);
    image = this.deps.images.get(image.id)!;
    this.deps.cache.put(key, image.id);
    this.emit({ aux: { ID: image.id } });
    // Quiet builds show nothing but the id, as dockerd sends it.
    if (this.opts.quiet) this.emit({ stream: `${image.id}\n` });
    this.out(`Successfully built ${shortId(image.id)}\n`);
    for (const t of this.opts.tags) this.out(`Successfully tagged ${familiarName(normalizeTag(t))}\n`);
    return image;
  }
}

/** RUN --network: docker's `default` is the bridge; `host` needs an entitlement this API cannot grant. */
function runNetwork(flag: string | undefined): string {
  const mode = (flag ?? 'default').toLowerCase();
  if (mode === 'default' || mode === 'bridge') return 'bridge';
  if (mode === 'none') return 'none';
  if (mode === 'host') throw new BuildError('RUN --network=host needs the network.host entitlement, which this builder does not grant; use --network=default or none');
  throw new BuildError(`RUN --network=${flag}: use default, none or host`);
}

function stageName(fromArgs: string): string | undefined {
  const m = /^\S+\s+as\s+(\S+)\s*$/i.exec(fromArgs);
  return m?.[1];
}

