// `compose config`: the loaded project, and the views of it the flags ask for.

import { GantryError } from '../common/errors.js';
import { loadProject, projectToDocument, serviceConfigHash, type LoadOptions, type Project } from '../spec/index.js';

export { toYaml } from '../spec/index.js';

export interface ConfigView {
  project: Project;
  /** The normalized compose document, as `config` prints it. */
  document: Record<string, unknown>;
}

export async function config(options: LoadOptions): Promise<ConfigView> {
  const project = await loadProject(options);
  const document = projectToDocument(project);
  // Interpolated values are final: a literal `$` is written back as `$$` so the
  // output can be loaded again to the same project.
  return { project, document: options.interpolate === false ? document : (escapeDollars(document) as Record<string, unknown>) };
}

/**
 * Copies only what changes: the document is fresh from projectToDocument,
 * and copying all of it (tens of thousands of nodes for a big project) was
 * a tenth of a `compose config` run.
 */
function escapeDollars(v: unknown): unknown {
  if (typeof v === 'string') return v.includes('$') ? v.replaceAll('$', '$$$$') : v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = escapeDollars(v[i]);
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  if (v && typeof v === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(v)) {
      const old = (v as Record<string, unknown>)[k];
      const x = escapeDollars(old);
      if (x !== old) (out ??= { ...v })[k] = x;
    }
    return out ?? v;
  }
  return v;
}

export function serviceNames(project: Project): string[] {
  return Object.keys(project.services).sort();
}

/** Every profile any service declares, enabled or not. */
export function profileNames(project: Project): string[] {
  const all = new Set<string>();
  for (const s of [...Object.values(project.services), ...Object.values(project.disabledServices)]) {
    for (const p of s.profiles ?? []) all.add(p);
  }
  return [...all].sort();
}

/** The image each service runs; a build-only service gets docker compose's default name. */
export function imageNames(project: Project): string[] {
  return serviceNames(project).map((n) => project.services[n]!.image ?? `${project.name}-${n}`);
}

/** `--hash "*"` or `--hash a,b`: `service hash` pairs. */
export function serviceHashes(project: Project, which: string): [string, string][] {
  const wanted = which.trim() === '*' ? serviceNames(project) : which.split(',').map((s) => s.trim()).filter(Boolean);
  return wanted.map((n) => {
    const svc = project.services[n];
    if (!svc) throw new GantryError('usage', `no such service: ${n}`, { hint: `services: ${serviceNames(project).join(', ')}` });
    return [n, serviceConfigHash(svc)];
  });
}
