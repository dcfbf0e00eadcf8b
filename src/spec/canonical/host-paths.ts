// Host paths written in a compose file are relative to the document's
// directory; `~` is the user's home. Remote build contexts are left alone.

import { createRequire } from 'node:module';
import { posix } from 'node:path';
import type { CanonicalContext } from '../canonical.js';
import type { Rule } from './site.js';

function homeOf(ctx: CanonicalContext): string {
  // node:os only when HOME is unset: few files use `~`, and loading it costs start-up.
  return ctx.lookup('HOME') || (createRequire(import.meta.url)('node:os') as typeof import('node:os')).homedir();
}

/** `~` and `~/x` → the home directory (compose-go joins whatever follows `~`). */
export function expandHome(p: string, ctx: CanonicalContext): string {
  if (!p.startsWith('~')) return p;
  return withoutTrailingSlash(posix.join(homeOf(ctx), p.slice(1)));
}

// A Windows path (`C:\x`, `\\server\share`) is absolute for a Windows engine:
// joining it to a Unix base directory would make nonsense of it.
function isWindowsAbsolute(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** An absolute host path; absolute input is kept exactly as written. */
export function absolutePath(p: string, ctx: CanonicalContext): string {
  if (p === '') return p;
  const expanded = expandHome(p, ctx);
  if (expanded.startsWith('/') || isWindowsAbsolute(expanded)) return expanded;
  // Most relative paths are `./dir/file` under a clean directory: joining
  // them is putting them together; the rest are cleaned by join.
  const rest = expanded.startsWith('./') ? expanded.slice(2) : expanded;
  if (rest !== '' && isCleanAbsolute('/' + rest) && isCleanAbsolute(ctx.baseDir)) {
    return ctx.baseDir === '/' ? '/' + rest : ctx.baseDir + '/' + rest;
  }
  return withoutTrailingSlash(posix.join(ctx.baseDir, expanded));
}

// An empty, `.` or `..` segment, or a trailing slash.
const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)|.\/$/;

/** An absolute path that Go's path.Clean would leave as it is. */
export function isCleanAbsolute(p: string): boolean {
  return p.startsWith('/') && !UNCLEAN.test(p);
}

// Go's filepath.Join cleans its result; node's join keeps a trailing slash.
function withoutTrailingSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

const REMOTE_PREFIXES = ['https://', 'http://', 'git://', 'ssh://', 'github.com/', 'git@'];

/** A build context that names a URL, a git repository or another service/image, not a directory. */
export function isRemoteContext(s: string): boolean {
  if (s.includes('://') || s.startsWith('service:')) return true;
  return REMOTE_PREFIXES.some((p) => s.startsWith(p));
}

export function absoluteContext(s: string, ctx: CanonicalContext): string {
  return isRemoteContext(s) ? s : absolutePath(s, ctx);
}

/** A string attribute that names a host path (`secrets.*.file`, `develop.watch[].path`). */
export const hostPath: Rule = (value, site) => (typeof value === 'string' ? absolutePath(value, site.ctx) : value);
