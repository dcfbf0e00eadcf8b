// `command`, `entrypoint` and hook commands written as one string are split
// into words like a shell would, without running one; `healthcheck.test`
// as a string means "run it in the container's shell".

import { ShellSyntaxError, splitShellWords } from '../../common/shell-words.js';
import { unresolved, valueError, warnAt, type Rule } from './site.js';

export const shellCommand: Rule = (value, site) => {
  if (typeof value !== 'string') return value;
  let split;
  try {
    split = splitShellWords(value);
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    if (unresolved(site, value)) return value;
    throw valueError(
      site,
      `cannot split the command into words: ${e.message} (at character ${e.offset + 1})`,
      'close the quote, or write the command as a list: ["sh", "-c", "…"]',
    );
  }
  if (split.operators.length) {
    warnAt(
      site,
      `the command has ${split.operators.map((o) => `"${o}"`).join(', ')}, passed as a plain argument: no shell runs it; ` +
        `use ["sh", "-c", "…"] for shell syntax`,
    );
  }
  return split.words;
};

export const healthcheckTest: Rule = (value) => {
  if (typeof value !== 'string') return value;
  return ['CMD-SHELL', value];
};
