// Instructions that only change the image config: ENV, LABEL, USER, CMD,
// ENTRYPOINT, EXPOSE, VOLUME, STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD,
// MAINTAINER. (WORKDIR changes the config too, and may add a layer.)

import { posix } from 'node:path';
import type { HealthConfig } from '../../containers/docker-types.js';
import { BuildError, lookupIn, runtimeOf, type StageState } from './build-state.js';
import type { Step } from './dockerfile-stages.js';
import { expandWord, expandWords } from './word-expansion.js';

/** The JSON array of exec form, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const v = JSON.parse(args) as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // Not JSON: docker treats it as shell form.
  }
  return undefined;
}

export function shellOf(state: StageState): string[] {
  const s = runtimeOf(state).Shell;
  return s?.length ? s : ['/bin/sh', '-c'];
}

/** A command in exec form, or shell form run through the stage's SHELL. */
export function commandOf(state: StageState, args: string): string[] {
  return execForm(args) ?? [...shellOf(state), args];
}

/** `k=v k2="v 2"` pairs, or the legacy `k v with spaces` single pair. */
export function keyValuePairs(step: Step, state: StageState, escape: string): Array<[string, string]> {
  const lookup = lookupIn(state);
  const words = expandWords(step.args, lookup, escape);
  if (words.length === 0) throw new BuildError(`${step.keyword} requires at least one argument`);
  if (!words[0]!.includes('=')) {
    const m = /^(\S+)\s+([\s\S]*)$/.exec(step.args);
    if (!m) throw new BuildError(`${step.keyword} requires two arguments: ${step.keyword} name value`);
    return [[expandWord(m[1]!, lookup, escape), expandWord(m[2]!, lookup, escape)]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new BuildError(`${step.keyword} names can not be blank: ${w}`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

const DURATION: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

function durationNs(flag: string, v: string): number {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let m: RegExpExecArray | null;
  let seen = 0;
  while ((m = re.exec(v))) {
    total += Number(m[1]) * DURATION[m[2]!]!;
    seen = re.lastIndex;
  }
  if (!v || seen !== v.length) throw new BuildError(`HEALTHCHECK --${flag}: invalid duration ${JSON.stringify(v)}`);
  return Math.round(total);
}

function healthcheck(step: Step, state: StageState): HealthConfig {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(step.args);
  const kind = m?.[1]?.toUpperCase();
  if (kind === 'NONE') return { Test: ['NONE'] };
  if (kind !== 'CMD') throw new BuildError('HEALTHCHECK: expected NONE or CMD');
  const rest = m![2]!.trim();
  const exec = execForm(rest);
  const hc: HealthConfig = { Test: exec ? ['CMD', ...exec] : ['CMD-SHELL', rest] };
  const f = step.flags;
  if (f.interval !== undefined) hc.Interval = durationNs('interval', f.interval);
  if (f.timeout !== undefined) hc.Timeout = durationNs('timeout', f.timeout);
  if (f['start-period'] !== undefined) hc.StartPeriod = durationNs('start-period', f['start-period']);
  if (f.retries !== undefined) hc.Retries = Number(f.retries);
  void state;
  return hc;
}

/** Apply a config-only instruction to the stage; false when the keyword is not one of them. */
export function applyConfigInstruction(step: Step, state: StageState, escape: string): boolean {
  const rc = runtimeOf(state);
  const lookup = lookupIn(state);
  switch (step.keyword) {
    case 'ENV': {
      const env = [...(rc.Env ?? [])];
      for (const [k, v] of keyValuePairs(step, state, escape)) {
        const i = env.findIndex((e) => e.split('=')[0] === k);
        if (i >= 0) env[i] = `${k}=${v}`;
        else env.push(`${k}=${v}`);
      }
      rc.Env = env;
      return true;
    }
    case 'LABEL':
      rc.Labels = { ...(rc.Labels ?? {}), ...Object.fromEntries(keyValuePairs(step, state, escape)) };
      return true;
    case 'MAINTAINER':
      state.config.author = expandWord(step.args, lookup, escape);
      return true;
    case 'USER':
      rc.User = expandWord(step.args, lookup, escape);
      return true;
    case 'STOPSIGNAL':
      rc.StopSignal = expandWord(step.args, lookup, escape);
      return true;
    case 'CMD':
      rc.Cmd = commandOf(state, step.args);
      state.cmdSet = true;
      return true;
    case 'ENTRYPOINT':
      rc.Entrypoint = step.args === '' ? null : commandOf(state, step.args);
      if (!state.cmdSet) rc.Cmd = null;
      return true;
    case 'EXPOSE': {
      const ports = { ...(rc.ExposedPorts ?? {}) };
      for (const p of expandWords(step.args, lookup, escape)) {
        if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(p)) throw new BuildError(`EXPOSE: invalid containerPort: ${p}`);
        ports[p.includes('/') ? p.toLowerCase() : `${p}/tcp`] = {};
      }
      rc.ExposedPorts = ports;
      return true;
    }
    case 'VOLUME': {
      const vols = { ...(rc.Volumes ?? {}) };
      for (const v of execForm(step.args) ?? expandWords(step.args, lookup, escape)) {
        if (!v) throw new BuildError('VOLUME specified can not be an empty string');
        vols[v] = {};
      }
      rc.Volumes = vols;
      return true;
    }
    case 'SHELL': {
      const s = execForm(step.args);
      if (!s?.length) throw new BuildError('SHELL requires the arguments to be in JSON form');
      rc.Shell = s;
      return true;
    }
    case 'HEALTHCHECK':
      rc.Healthcheck = healthcheck(step, state);
      return true;
    case 'ONBUILD': {
      const inner = /^(\S+)/.exec(step.args)?.[1]?.toUpperCase();
      if (inner === 'ONBUILD' || inner === 'FROM' || inner === 'MAINTAINER') throw new BuildError(`${inner} isn't allowed as an ONBUILD trigger`);
      rc.OnBuild = [...(rc.OnBuild ?? []), step.args];
      return true;
    }
    default:
      return false;
  }
}

/** WORKDIR's new value: relative paths continue from the current one. */
export function workdirOf(step: Step, state: StageState, escape: string): string {
  const dir = expandWord(step.args, lookupIn(state), escape);
  if (!dir) throw new BuildError('WORKDIR cannot be empty');
  return posix.normalize(posix.isAbsolute(dir) ? dir : posix.join(runtimeOf(state).WorkingDir || '/', dir));
}
