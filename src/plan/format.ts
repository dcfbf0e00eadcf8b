// A plan as text, for `--dry-run`: one line per object, stable order.

import type { Action, Plan } from './types.js';

const WORDS: Record<Action['kind'], string> = {
  'create-network': 'create',
  'create-volume': 'create',
  'create-container': 'create',
  'recreate-container': 'recreate',
  'start-container': 'start',
  'stop-container': 'stop',
  'remove-container': 'remove',
  'remove-network': 'remove',
  'remove-volume': 'remove',
  'remove-image': 'remove',
  'keep-container': 'keep',
};

function noun(a: Action): string {
  return a.kind.endsWith('network') ? 'network' : a.kind.endsWith('volume') ? 'volume' : a.kind.endsWith('image') ? 'image' : 'container';
}

export function planActions(plan: Plan): Action[] {
  return [...plan.resources, ...Object.values(plan.services).flat(), ...plan.orphans, ...plan.cleanup];
}

export function formatPlan(plan: Plan): string {
  const actions = planActions(plan);
  const width = Math.max(0, ...actions.map((a) => `${noun(a)} ${a.name}`.length));
  const lines = actions.map((a) => `${`${noun(a)} ${a.name}`.padEnd(width)}  ${WORDS[a.kind]}${a.reason && a.reason !== 'new' ? ` (${a.reason})` : ''}`);
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  return lines.length ? lines.join('\n') + '\n' : 'nothing to do\n';
}

/** True when executing the plan would change nothing. */
export function isNoop(plan: Plan): boolean {
  return planActions(plan).every((a) => a.kind === 'keep-container');
}
