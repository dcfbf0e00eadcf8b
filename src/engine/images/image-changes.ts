// `docker import --change` / `docker commit --change`: Dockerfile
// instructions that only touch the image config (CMD, ENTRYPOINT, ENV,
// WORKDIR, EXPOSE, USER, LABEL, VOLUME, STOPSIGNAL, ONBUILD).

import { splitShellWords } from '../../common/shell-words.js';
import { badRequest } from '../api/api-error.js';
import type { ImageRuntimeConfig } from '../containers/docker-types.js';

/** JSON array form when it parses as one, else the shell form through /bin/sh -c. */
function commandForm(rest: string): string[] {
  if (rest.trimStart().startsWith('[')) {
    try {
      const v = JSON.parse(rest) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      // Not JSON: docker falls back to the shell form too.
    }
  }
  return ['/bin/sh', '-c', rest];
}

/** `A=b C="d e"` pairs, or the legacy `A b c` single pair. */
function keyValues(instruction: string, rest: string): Array<[string, string]> {
  const words = splitShellWords(rest).words;
  if (words.length === 0) throw badRequest(`${instruction} requires at least one argument`);
  if (!words[0]!.includes('=')) {
    const sp = rest.trim().search(/\s/);
    if (sp < 0) throw badRequest(`${instruction} requires a value: ${instruction} name=value`);
    return [[rest.trim().slice(0, sp), rest.trim().slice(sp).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw badRequest(`${instruction}: "${w}" is not name=value`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

export function applyChanges(config: ImageRuntimeConfig, changes: string[]): ImageRuntimeConfig {
  const c: ImageRuntimeConfig = { ...config };
  for (const raw of changes) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(line)!;
    const instruction = m[1]!.toUpperCase();
    const rest = m[2]!;
    switch (instruction) {
      case 'CMD':
        c.Cmd = commandForm(rest);
        break;
      case 'ENTRYPOINT':
        c.Entrypoint = commandForm(rest);
        break;
      case 'ENV': {
        const env = [...(c.Env ?? [])];
        for (const [k, v] of keyValues('ENV', rest)) {
          const i = env.findIndex((e) => e.split('=')[0] === k);
          if (i >= 0) env[i] = `${k}=${v}`;
          else env.push(`${k}=${v}`);
        }
        c.Env = env;
        break;
      }
      case 'LABEL':
        c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(keyValues('LABEL', rest)) };
        break;
      case 'WORKDIR':
        c.WorkingDir = rest.trim();
        break;
      case 'USER':
        c.User = rest.trim();
        break;
      case 'STOPSIGNAL':
        c.StopSignal = rest.trim();
        break;
      case 'EXPOSE': {
        const ports = { ...(c.ExposedPorts ?? {}) };
        for (const p of rest.trim().split(/\s+/)) {
          if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/.test(p)) throw badRequest(`EXPOSE: invalid port "${p}"`);
          ports[p.includes('/') ? p : `${p}/tcp`] = {};
        }
        c.ExposedPorts = ports;
        break;
      }
      case 'VOLUME': {
        const vols = { ...(c.Volumes ?? {}) };
        const list = rest.trimStart().startsWith('[') ? (JSON.parse(rest) as string[]) : rest.trim().split(/\s+/);
        for (const v of list) vols[v] = {};
        c.Volumes = vols;
        break;
      }
      case 'ONBUILD':
        c.OnBuild = [...(c.OnBuild ?? []), rest.trim()];
        break;
      default:
        throw badRequest(`${instruction} is not a valid change command`);
    }
  }
  return c;
}
