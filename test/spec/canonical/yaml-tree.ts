// Test helper: YAML text → tree with positions and merge tags, the way the
// loader's reader hands documents to canonicalize (read.ts is not ours to
// depend on in unit tests), plus a context that collects warnings.

import * as YAML from 'yaml';
import type { Warning } from '../../../src/spec/context.js';
import type { CanonicalContext } from '../../../src/spec/canonical.js';
import { setChildPosition, setKeyPosition, setSelfPosition, setTag, type Mapping, type Node } from '../../../src/spec/tree.js';

export const FILE = '/project/compose.yaml';

const passTag = (tag: string) => ({ tag, resolve: (v: unknown) => v, identify: () => false });
const customTags = [
  { ...passTag('!reset'), collection: 'map' as const },
  { ...passTag('!reset'), collection: 'seq' as const },
  passTag('!reset'),
  { ...passTag('!override'), collection: 'map' as const },
  { ...passTag('!override'), collection: 'seq' as const },
  passTag('!override'),
];

export function treeOf(text: string, file = FILE): Mapping {
  const lc = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lc, customTags: customTags as never });
  if (doc.errors.length) throw doc.errors[0];
  const pos = (n: YAML.Node | null | undefined) => {
    if (!n?.range) return undefined;
    const { line, col } = lc.linePos(n.range[0]);
    return { file, line, col };
  };
  const convert = (n: unknown): Node => {
    if (YAML.isMap(n)) {
      const out: Mapping = {};
      setSelfPosition(out, pos(n));
      for (const pair of n.items) {
        const k = String((pair.key as YAML.Scalar).value);
        out[k] = convert(pair.value);
        setKeyPosition(out, k, pos(pair.key as YAML.Node));
        setChildPosition(out, k, pos(pair.value as YAML.Node) ?? pos(pair.key as YAML.Node));
        const tag = (pair.value as YAML.Node | null)?.tag;
        if (tag === '!reset') setTag(out, k, 'reset');
        if (tag === '!override') setTag(out, k, 'override');
      }
      return out;
    }
    if (YAML.isSeq(n)) {
      const out: Node[] = [];
      setSelfPosition(out, pos(n));
      n.items.forEach((item, i) => {
        out.push(convert(item));
        setChildPosition(out, i, pos(item as YAML.Node));
      });
      return out;
    }
    if (YAML.isScalar(n)) return n.value as Node;
    return null;
  };
  return convert(doc.contents) as Mapping;
}

export interface TestContext extends CanonicalContext {
  warnings: Warning[];
}

export function contextFor(overrides: Partial<CanonicalContext> & { env?: Record<string, string> } = {}): TestContext {
  const warnings: Warning[] = [];
  const env = overrides.env ?? { HOME: '/home/me' };
  return {
    baseDir: '/project',
    lookup: (k) => env[k],
    warn: (w) => warnings.push(w),
    interpolated: true,
    ...overrides,
    warnings,
  };
}

/** A plain deep copy without position facts, for deepEqual on the tree's data. */
export function plain<T>(n: T): T {
  return JSON.parse(JSON.stringify(n)) as T;
}
