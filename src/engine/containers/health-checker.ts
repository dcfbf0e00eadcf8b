// Healthchecks run by the engine: the image's or the request's HEALTHCHECK,
// run through exec every interval (start_interval during start_period), its
// result kept in State.Health (the last five probes) and announced as
// `health_status` events when it changes.

import type { ContainerRecord, HealthLogEntry } from './container-record.js';
import type { ContainerService } from './container-service.js';

const SECOND_NS = 1e9;

export class HealthChecker {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly startedAt = Date.now();

  constructor(
    private readonly svc: ContainerService,
    private readonly c: ContainerRecord,
  ) {}

  start(): void {
    const hc = this.c.Config.Healthcheck!;
    this.c.State.Health = { Status: 'starting', FailingStreak: 0, Log: [] };
    this.svc.setHealth(this.c, 'starting', false);
    this.schedule(this.nextDelay(hc));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private inStartPeriod(): boolean {
    const hc = this.c.Config.Healthcheck!;
    return Date.now() - this.startedAt < (hc.StartPeriod ?? 0) / 1e6;
  }

  private nextDelay(hc: NonNullable<ContainerRecord['Config']['Healthcheck']>): number {
    const interval = (hc.Interval || 30 * SECOND_NS) / 1e6;
    if (this.inStartPeriod() && hc.StartInterval) return hc.StartInterval / 1e6;
    return interval;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.probe(), ms);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    const hc = this.c.Config.Healthcheck!;
    const test = hc.Test ?? [];
    const cmd = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test[0] === 'CMD' ? test.slice(1) : test;
    const timeout = (hc.Timeout || 30 * SECOND_NS) / 1e6;
    const start = new Date();
    let result: { exitCode: number; output: string; timedOut: boolean };
    try {
      result = await this.svc.probe!(this.c, cmd, timeout);
    } catch (e) {
      result = { exitCode: -1, output: (e as Error).message, timedOut: false };
    }
    if (this.stopped || !this.c.State.Running) return;
    const entry: HealthLogEntry = {
      Start: start.toISOString(),
      End: new Date().toISOString(),
      ExitCode: result.exitCode,
      Output: result.timedOut ? `Health check exceeded timeout (${timeout / 1000}s)` : result.output,
    };
    const health = this.c.State.Health ?? { Status: 'starting', FailingStreak: 0, Log: [] };
    const before = health.Status;
    health.Log = [...health.Log, entry].slice(-5);
    if (result.exitCode === 0) {
      health.FailingStreak = 0;
      health.Status = 'healthy';
    } else if (!this.inStartPeriod()) {
      // Failures during the start period do not count, as docker does.
      health.FailingStreak += 1;
      if (health.FailingStreak >= (hc.Retries || 3)) health.Status = 'unhealthy';
    }
    this.c.State.Health = health;
    this.svc.setHealth(this.c, health.Status as 'starting' | 'healthy' | 'unhealthy', before !== health.Status);
    this.schedule(this.nextDelay(hc));
  }
}
