// A compose project made by hand for the read-and-inspect commands' tests:
// containers created straight through engine-client with the labels docker
// compose puts on them, so these tests need no `up`. Every object carries the
// project label (unique per run) and is swept by it.

import { randomBytes } from 'node:crypto';
import { Label } from '../../src/common/labels.js';
import { connect, type EngineClient, type HostConfig } from '../../src/engine-client/index.js';

export const IMAGE = process.env.GANTRY_TEST_IMAGE ?? 'busybox:latest';

export interface ContainerSpec {
  cmd: string[];
  number?: number;
  oneoff?: boolean;
  tty?: boolean;
  openStdin?: boolean;
  env?: string[];
  workingDir?: string;
  /** `"8080/tcp": [{HostIp: '127.0.0.1', HostPort: '0'}]`. */
  ports?: Record<string, { HostIp?: string; HostPort?: string }[]>;
  restart?: string;
  /** Start it (default true). */
  start?: boolean;
  labels?: Record<string, string>;
  hostConfig?: HostConfig;
  healthcheck?: { Test: string[]; Interval?: number; StartPeriod?: number };
  user?: string;
}

export interface FakeProject {
  name: string;
  engine: EngineClient;
  /** Creates (and starts) `<project>-<service>-<n>`; resolves with its ID. */
  add(service: string, spec: ContainerSpec): Promise<string>;
  /** Removes every container of the project. */
  sweep(): Promise<void>;
}

export async function fakeProject(prefix = 'gt'): Promise<FakeProject> {
  const name = `${prefix}${randomBytes(4).toString('hex')}`;
  const engine = await connect({ env: process.env });
  return {
    name,
    engine,
    async add(service, spec) {
      const number = spec.number ?? 1;
      const containerName = spec.oneoff ? `${name}-${service}-run-${randomBytes(3).toString('hex')}` : `${name}-${service}-${number}`;
      const { Id } = await engine.containers.create(
        {
          Image: IMAGE,
          Cmd: spec.cmd,
          Tty: spec.tty ?? false,
          OpenStdin: spec.openStdin ?? false,
          Env: spec.env,
          WorkingDir: spec.workingDir,
          User: spec.user,
          Healthcheck: spec.healthcheck,
          ExposedPorts: spec.ports ? Object.fromEntries(Object.keys(spec.ports).map((p) => [p, {}])) : undefined,
          Labels: {
            [Label.project]: name,
            [Label.service]: service,
            [Label.containerNumber]: String(number),
            [Label.oneoff]: spec.oneoff ? 'True' : 'False',
            [Label.configHash]: 'test',
            [Label.workingDir]: '/tmp',
            [Label.configFiles]: `/tmp/${name}/compose.yaml`,
            [Label.version]: 'gantry-test',
            ...spec.labels,
          },
          HostConfig: {
            // Exposed-only ports (an empty list) stay out of PortBindings, as
            // docker compose leaves them out: dockerd 20.10, given an empty
            // binding list beside a real one, now and then reports the real
            // one twice and the exposed port not at all (Go map order).
            PortBindings: spec.ports ? Object.fromEntries(Object.entries(spec.ports).filter(([, b]) => b.length > 0)) : undefined,
            RestartPolicy: spec.restart ? { Name: spec.restart } : undefined,
            ...spec.hostConfig,
          },
        },
        { name: containerName },
      );
      if (spec.start !== false) await engine.containers.start(Id);
      return Id;
    },
    async sweep() {
      const list = await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${name}`] } });
      await Promise.all(list.map((c) => engine.containers.remove(c.Id, { force: true, volumes: true }).catch(() => {})));
    },
  };
}

/** Waits until `check` holds, polling; fails after `ms`. */
export async function until(check: () => Promise<boolean> | boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
