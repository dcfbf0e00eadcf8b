// Restart policies (`no`, `always`, `on-failure[:N]`, `unless-stopped`) and
// their back-off: the decision is pure, so it is tested without containers.

import { badRequest } from '../api/api-error.js';
import type { ContainerRecord } from './container-record.js';
import type { RestartPolicy } from './docker-types.js';

export function checkRestartPolicy(policy: RestartPolicy | undefined, autoRemove: boolean | undefined): void {
  const name = policy?.Name ?? '';
  if (!['', 'no', 'always', 'on-failure', 'unless-stopped'].includes(name)) {
    throw badRequest(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  }
  if ((policy?.MaximumRetryCount ?? 0) < 0) throw badRequest('invalid restart policy: maximum retry count must be a positive integer');
  if (policy?.MaximumRetryCount && name !== 'on-failure') {
    throw badRequest(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  }
  if (autoRemove && name !== '' && name !== 'no') {
    throw badRequest(`conflicting options: cannot specify both --restart and --rm`);
  }
}

/** Should a container that just exited be started again? */
export function shouldRestart(c: ContainerRecord, exitCode: number): boolean {
  if (c.StoppedByUser || c.HostConfig.AutoRemove) return false;
  const policy = c.HostConfig.RestartPolicy ?? {};
  switch (policy.Name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure': {
      const max = policy.MaximumRetryCount ?? 0;
      return exitCode !== 0 && (max === 0 || c.RestartCount < max);
    }
    default:
      return false;
  }
}

/**
 * docker's back-off: 100 ms doubling up to a minute, starting over once a
 * container has stayed up for ten seconds.
 */
export function restartDelay(previousDelayMs: number, ranForMs: number): number {
  if (ranForMs >= 10_000 || previousDelayMs <= 0) return 100;
  return Math.min(previousDelayMs * 2, 60_000);
}
