// Stage 8: project-level defaults docker compose fills in, once, on the
// merged and profile-filtered document: the default network, resource
// names, the environment from env files, scale/replicas, build defaults and
// the dependencies implied by links and shared namespaces — what compose-go's
// loader/normalize.go and its default-value and environment passes do.
import type { Lookup, WarningSink } from './context.js';
import { isMapping, type Mapping } from './tree.js';
import {
  EnvFileReader,
  fillEnvironment,
  readsFiles,
  resolveBuildArgs,
  resolveConfigContent,
  resolveEnvironment,
  resolveLabelFiles,
} from './normalize/environment.js';
import { attachDefaultNetwork, nameResources } from './normalize/networks.js';
import {
  buildDefaults,
  deviceRequestDefaults,
  extraHostsOrder,
  implicitDependencies,
  preStartImages,
  pullPolicy,
  reconcileScale,
  secretTargets,
} from './normalize/service-defaults.js';

export interface NormalizeContext {
  projectName: string;
  projectDir: string;
  lookup: Lookup;
  warn: WarningSink;
}

/** Default network, resource names, env_file contents, scale/replicas, build defaults. */
export async function normalize(doc: Mapping, ctx: NormalizeContext): Promise<void> {
  attachDefaultNetwork(doc);
  nameResources(doc, ctx.projectName);
  resolveConfigContent(doc, ctx.lookup);

  const services = isMapping(doc.services) ? doc.services : {};
  const names = Object.keys(services).filter((n) => isMapping(services[n]));
  for (const name of names) {
    const svc = services[name] as Mapping;
    pullPolicy(svc);
    buildDefaults(svc, ctx.projectDir);
    resolveBuildArgs(svc, ctx.lookup);
    implicitDependencies(svc);
    reconcileScale(name, svc, doc);
    secretTargets(svc);
    deviceRequestDefaults(svc);
    preStartImages(svc);
    extraHostsOrder(svc);
  }

  // Files are read concurrently (each once), but the error reported is the
  // first in service order, so it does not depend on disk timing.
  // Most services read no file: their environment is settled here, without
  // a promise each.
  const reading: string[] = [];
  for (const name of names) {
    const svc = services[name] as Mapping;
    if (readsFiles(svc)) reading.push(name);
    else fillEnvironment(svc, ctx.lookup);
  }
  const envCtx = { root: doc, lookup: ctx.lookup, reader: new EnvFileReader() };
  const results = await Promise.allSettled(
    reading.map(async (name) => {
      const svc = services[name] as Mapping;
      await resolveEnvironment(name, svc, envCtx);
      await resolveLabelFiles(name, svc, envCtx);
    }),
  );
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}
