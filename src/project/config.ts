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
  let document: Record<string, unknown> | undefined;
  return {
    project,
    // Made when first read: `config -q` and the list views never read it,
    // and for a big project it is a copy of everything.
    get document() {
      // Interpolated values are final: a literal `$` is written back as `$$`
      // so the output can be loaded again to the same project.
      return (document ??= projectToDocument(project, { escapeDollars: options.interpolate !== false }));
    },
  };
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
