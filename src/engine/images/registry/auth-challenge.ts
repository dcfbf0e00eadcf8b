// `WWW-Authenticate` challenges of a registry: `Basic realm="…"` or
// `Bearer realm="…",service="…",scope="…"` (RFC 7235 auth-params, values
// quoted or bare; several challenges may share one header).

export interface AuthChallenge {
  /** Lowercase: `basic`, `bearer`. */
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /\s*(?:([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))|([\w-]+)(?=\s|,|$))\s*,?/y;

export function parseChallenges(header: string | null): AuthChallenge[] {
  if (!header) return [];
  const out: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < header.length) {
    const m = TOKEN.exec(header);
    if (!m) break;
    if (m[4] !== undefined) {
      current = { scheme: m[4].toLowerCase(), params: {} };
      out.push(current);
    } else if (current && m[1] !== undefined) {
      current.params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    }
  }
  return out;
}
