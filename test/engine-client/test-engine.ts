// Shared by the real-engine tests: one client per file, pointed at whatever
// DOCKER_HOST says (the local dockerd by default, gantry's own engine later),
// and a test-run label on everything they create so an after hook can sweep it.

import { randomBytes } from 'node:crypto';
import { connect, type EngineClient } from '../../src/engine-client/index.js';

export const TEST_IMAGE = process.env.GANTRY_TEST_IMAGE ?? 'busybox:latest';
export const RUN_LABEL = 'dev.gantry.test-run';

export interface TestRun {
  id: string;
  /** `{"dev.gantry.test-run": id}` for an object's Labels. */
  labels: Record<string, string>;
  /** `dev.gantry.test-run=<id>`, for a label filter. */
  filter: string;
  /** A name unique to this run: `gantry-test-<id>-<suffix>`. */
  name(suffix: string): string;
  /** Removes every container, network, volume and image labelled with this run. */
  sweep(client: EngineClient): Promise<void>;
}

export function newTestRun(): TestRun {
  const id = randomBytes(4).toString('hex');
  const filter = `${RUN_LABEL}=${id}`;
  return {
    id,
    labels: { [RUN_LABEL]: id },
    filter,
    name: (suffix) => `gantry-test-${id}-${suffix}`,
    async sweep(client) {
      const label = { label: [filter] };
      for (const c of await client.containers.list({ all: true, filters: label })) await client.containers.remove(c.Id, { force: true, volumes: true });
      for (const n of await client.networks.list({ filters: label })) await client.networks.remove(n.Id);
      for (const v of await client.volumes.list({ filters: label })) await client.volumes.remove(v.Name, { force: true });
      for (const i of await client.images.list({ filters: label })) await client.images.remove(i.Id, { force: true });
    },
  };
}

export function testClient(): Promise<EngineClient> {
  return connect({ env: process.env });
}

/** Everything an async iterable yields, as an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A stream's whole text. */
export async function textOf(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}
