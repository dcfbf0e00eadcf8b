// One line per API call on stderr when GANTRY_DEBUG names this namespace
// (`engine-client`, `*`, or a list like `engine-client,spec`). Off by default;
// when off the logger is undefined, so call sites skip even the timing.

export const NAMESPACE = 'engine-client';

export type CallLogger = (line: string) => void;

export function callLogger(setting: string | undefined, write: (s: string) => void = (s) => process.stderr.write(s)): CallLogger | undefined {
  if (!setting || !namespaceEnabled(setting, NAMESPACE)) return undefined;
  return (line) => write(`${NAMESPACE} ${line}\n`);
}

/** `debug`-style patterns: comma or space separated, `*` wildcards, `-name` excludes. */
export function namespaceEnabled(setting: string, namespace: string): boolean {
  let enabled = false;
  for (const raw of setting.split(/[\s,]+/)) {
    if (!raw) continue;
    const exclude = raw.startsWith('-');
    const pattern = exclude ? raw.slice(1) : raw;
    const re = new RegExp('^' + pattern.split('*').map(escapeRegExp).join('.*') + '$');
    if (!re.test(namespace)) continue;
    if (exclude) return false;
    enabled = true;
  }
  return enabled;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
