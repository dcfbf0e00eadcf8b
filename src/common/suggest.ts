// "Did you mean …?" for names a person mistyped.

/** Damerau-free Levenshtein distance; small strings only. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const cl = c.toLowerCase();
    const d = cl === lower ? 0 : editDistance(lower, cl);
    // A candidate that contains the name (or vice versa) is a likely intent
    // even when the distance is large: `restart_policy` → `restart`.
    const score = cl.startsWith(lower) || lower.startsWith(cl) ? Math.min(d, 1.5) : d;
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(name.length / 3));
  return bestScore <= limit ? best : undefined;
}

/** `did you mean "x"?`, or a list of what exists when nothing is close. */
export function suggestion(name: string, candidates: readonly string[], noun: string): string | undefined {
  const c = closest(name, candidates);
  if (c !== undefined) return `did you mean "${c}"?`;
  if (candidates.length === 0) return `no ${noun} is defined`;
  if (candidates.length <= 8) return `defined ${noun}s: ${candidates.join(', ')}`;
  return undefined;
}
