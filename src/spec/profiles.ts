// Stage 7: profiles decide which services take part (spec 15-profiles.md).
// A service without profiles always does; one with profiles when one of them
// is active (`*` activates all). A service named on the command line adds
// its profiles to the active ones, so the other services of those profiles
// come too, as docker compose's WithServicesEnabled does.
//
// An enabled service that needs a disabled one (a required `depends_on`,
// `links`, `volumes_from`, `network_mode`/`ipc`/`pid`/`uts`/`cgroup:
// service:x`, a `service:x` build context) is an error that names the
// profile to enable; compose-go turns all of these into required
// dependencies and refuses them the same way. An optional dependency
// (`required: false`) stays, as in compose-go, and is skipped at run time.

import { GantryError, GantryErrors } from '../common/errors.js';
import { formatPath, isMapping, positionAt, type Mapping, type Node, type Path } from './tree.js';

/** Moves the services that are not enabled out of `doc.services` and returns them. */
export function applyProfiles(doc: Mapping, active: string[], named: string[]): Mapping {
  const disabled: Mapping = {};
  const services = doc.services;
  if (!isMapping(services)) return disabled;
  const on = new Set(activeProfiles(doc, active, named));
  const all = on.has('*');
  for (const name of Object.keys(services)) {
    const profiles = profilesOf(services[name]!);
    if (profiles.length === 0 || all || profiles.some((p) => on.has(p))) continue;
    disabled[name] = services[name]!;
    delete services[name];
  }
  checkNeeds(doc, services, disabled);
  return disabled;
}

/**
 * The profiles in effect: those asked for, then the profiles of each named
 * service that they would leave out, in order and without repeats.
 */
export function activeProfiles(doc: Mapping, active: string[], named: string[]): string[] {
  const asked = new Set(active);
  const out = [...asked];
  const services = isMapping(doc.services) ? doc.services : {};
  if (asked.has('*')) return out;
  for (const name of named) {
    const svc = services[name];
    if (svc === undefined) continue;
    const profiles = profilesOf(svc);
    // Only a service the asked profiles leave out brings its own.
    if (profiles.length === 0 || profiles.some((p) => asked.has(p))) continue;
    for (const p of profiles) if (!out.includes(p)) out.push(p);
  }
  return out;
}

function profilesOf(svc: Node): string[] {
  if (!isMapping(svc) || !Array.isArray(svc.profiles)) return [];
  return svc.profiles.filter((p): p is string => typeof p === 'string');
}

interface Need {
  to: string;
  path: Path;
  via: string;
}

/** The services `svc` cannot run without, each with where it is written. */
function needsOf(name: string, svc: Mapping): Need[] {
  const needs: Need[] = [];
  const base: Path = ['services', name];
  if (isMapping(svc.depends_on)) {
    for (const [to, dep] of Object.entries(svc.depends_on)) {
      if (isMapping(dep) && dep.required === false) continue;
      needs.push({ to, path: [...base, 'depends_on', to], via: 'depends_on' });
    }
  }
  if (Array.isArray(svc.links)) {
    svc.links.forEach((l, i) => {
      if (typeof l === 'string') needs.push({ to: l.split(':')[0]!, path: [...base, 'links', i], via: 'links' });
    });
  }
  if (Array.isArray(svc.volumes_from)) {
    svc.volumes_from.forEach((v, i) => {
      if (typeof v === 'string' && !v.startsWith('container:')) needs.push({ to: v.split(':')[0]!, path: [...base, 'volumes_from', i], via: 'volumes_from' });
    });
  }
  for (const ns of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup']) {
    const v = svc[ns];
    if (typeof v === 'string' && v.startsWith('service:')) needs.push({ to: v.slice('service:'.length), path: [...base, ns], via: ns });
  }
  const build = svc.build;
  if (isMapping(build) && isMapping(build.additional_contexts)) {
    for (const [ctxName, v] of Object.entries(build.additional_contexts)) {
      if (typeof v === 'string' && v.startsWith('service:')) {
        needs.push({ to: v.slice('service:'.length), path: [...base, 'build', 'additional_contexts', ctxName], via: 'build.additional_contexts' });
      }
    }
  }
  return needs;
}

function checkNeeds(doc: Mapping, services: Mapping, disabled: Mapping): void {
  if (Object.keys(disabled).length === 0) return;
  const errors: GantryError[] = [];
  for (const [name, svc] of Object.entries(services)) {
    if (!isMapping(svc)) continue;
    for (const need of needsOf(name, svc)) {
      const off = disabled[need.to];
      if (off === undefined) continue;
      const profiles = profilesOf(off);
      errors.push(
        new GantryError('reference', `service "${name}" needs service "${need.to}" (${need.via}), which is disabled: none of its profiles (${profiles.join(', ')}) is active`, {
          path: formatPath(need.path),
          position: positionAt(doc, need.path),
          hint: enableHint(profiles),
        }),
      );
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new GantryErrors(errors);
}

function enableHint(profiles: string[]): string {
  if (profiles.length === 1) return `enable profile "${profiles[0]}" (--profile ${profiles[0]})`;
  return `enable one of the profiles ${profiles.map((p) => `"${p}" (--profile ${p})`).join(', ')}`;
}
