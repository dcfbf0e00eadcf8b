// Stage 3: JSON Schema validation against schemas/compose-spec.json.
import type { Mapping } from './tree.js';

/** Validate one interpolated document; throws GantryErrors in compose words with positions. */
export function validateSchema(tree: Mapping): void {
  void tree;
  throw new Error('not implemented');
}
