// A Dockerfile as the builder runs it: global ARGs, then stages, each a FROM
// and its instructions. dockerfile-ast does the reading (continuations,
// comments, parser directives, flags); this keeps what building needs.

import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { badRequest } from '../../api/api-error.js';

export interface Step {
  keyword: string;
  /** Arguments with continuations joined and flags taken off. */
  args: string;
  flags: Record<string, string>;
  /** Every `--mount=` of a RUN, in order (a flag that may come more than once). */
  mounts: string[];
  /** As written after the keyword, flags included: for `Step n/m :` lines and cache keys. */
  text: string;
  line: number;
}

export interface Stage {
  from: Step;
  steps: Step[];
}

export interface ParsedDockerfile {
  escape: string;
  globalArgs: Step[];
  stages: Stage[];
}

const KNOWN = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);

function flagsOf(i: Instruction): Array<[string, string]> {
  const withFlags = i as Instruction & { getFlags?: () => Array<{ getName(): string; getValue(): string | null }> };
  return (withFlags.getFlags?.() ?? []).map((f) => [f.getName(), f.getValue() ?? '']);
}

export function toStep(i: Instruction): Step {
  const keyword = i.getKeyword().toUpperCase();
  const args = (i.getArgumentsContent() ?? '').trim();
  const list = flagsOf(i);
  const flagText = list.map(([k, v]) => `--${k}=${v}`);
  return {
    keyword,
    args,
    flags: Object.fromEntries(list),
    mounts: list.filter(([k]) => k === 'mount').map(([, v]) => v),
    text: [...flagText, args].join(' '),
    line: i.getRange().start.line + 1,
  };
}

/** Parse Dockerfile text; unknown instructions and instructions before FROM are refused as docker does. */
export function parseDockerfile(content: string): ParsedDockerfile {
  const escape = DockerfileParser.parse(content).getEscapeCharacter();
  const df = DockerfileParser.parse(blankContinuationComments(content, escape));
  const out: ParsedDockerfile = { escape: df.getEscapeCharacter(), globalArgs: [], stages: [] };
  for (const i of df.getInstructions()) {
    const step = toStep(i);
    if (!KNOWN.has(step.keyword)) throw badRequest(`dockerfile parse error line ${step.line}: unknown instruction: ${i.getKeyword()}`);
    if (step.keyword === 'FROM') {
      out.stages.push({ from: step, steps: [] });
    } else if (out.stages.length === 0) {
      if (step.keyword !== 'ARG') throw badRequest(`dockerfile parse error line ${step.line}: ${step.keyword} before the first FROM (only ARG may come first)`);
      out.globalArgs.push(step);
    } else {
      out.stages[out.stages.length - 1]!.steps.push(step);
    }
  }
  if (out.stages.length === 0) throw badRequest('the Dockerfile has no FROM instruction');
  return out;
}

/**
 * Comment lines inside a continuation are dropped by docker wherever they
 * are indented; dockerfile-ast keeps the deeply indented ones as text.
 * Blanking them (an empty line continues too) keeps line numbers right.
 */
export function blankContinuationComments(content: string, escape: string): string {
  let continuing = false;
  return content
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (continuing && trimmed.startsWith('#')) return '';
      if (trimmed !== '') continuing = line.trimEnd().endsWith(escape) && !(trimmed.startsWith('#') && !continuing);
      return line;
    })
    .join('\n');
}

/** ONBUILD triggers (`RUN x`) as steps, parsed the same way. */
export function parseTriggers(triggers: string[]): Step[] {
  if (triggers.length === 0) return [];
  const df = DockerfileParser.parse(triggers.join('\n'));
  return df.getInstructions().map(toStep);
}
