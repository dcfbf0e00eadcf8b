// The engine's side of a plan: the project's containers, networks and
// volumes, read in three list calls whatever the project's size.

import { Label } from '../common/labels.js';
import type { EngineClient } from '../engine-client/index.js';
import type { ObservedState } from '../plan/index.js';

export async function observe(engine: EngineClient, project: string, signal?: AbortSignal): Promise<ObservedState> {
  const [containers, networks, volumes] = await Promise.all([
    engine.containers.list({ all: true, filters: { label: [`${Label.project}=${project}`] }, signal }),
    engine.networks.list({ signal }),
    engine.volumes.list({ signal }),
  ]);
  return {
    containers: containers.map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), labels: c.Labels ?? {}, state: c.State, image: c.Image, imageId: c.ImageID })),
    networks: networks.map((n) => ({ name: n.Name, labels: n.Labels ?? {} })),
    volumes: volumes.map((v) => ({ name: v.Name, labels: v.Labels ?? {} })),
  };
}
