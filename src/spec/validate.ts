// Stage 3: JSON Schema validation against schemas/compose-spec.json.
// Runs on the interpolated tree of one file, before canonical long forms, so
// it judges what the user wrote. The validator is compiled ahead of time when
// built (schema-validator.ts); the error wording lives in schema-errors.ts and
// costs nothing unless the file is wrong.

import { GantryErrors } from '../common/errors.js';
import { schemaErrors } from './schema-errors.js';
import { composeValidator } from './schema-validator.js';
import type { Mapping } from './tree.js';

/** Validate one interpolated document; throws GantryErrors in compose words with positions. */
export function validateSchema(tree: Mapping): void {
  const validate = composeValidator();
  if (validate(tree)) return;
  const errors = schemaErrors(tree, validate.errors ?? []);
  // Nothing left means every finding was inside a `!reset` value, which the merge discards.
  if (errors.length > 0) throw new GantryErrors(errors);
}
