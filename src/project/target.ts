// Which project a read-and-inspect command looks at. These commands find
// containers by the project label alone, so, like docker compose, they work
// without a compose file: `-p NAME` without `-f` names the project directly,
// and when the files cannot be loaded COMPOSE_PROJECT_NAME still names it.
// With a loaded project, the service names given are checked against it.

import { isGantryError } from '../common/errors.js';
import type { EngineClient } from '../engine-client/index.js';
import { loadProject, type LoadOptions, type Project } from '../spec/index.js';
import { openEngine, type EngineOptions } from './session.js';

export interface Target {
  /** The project's name, as its containers' `com.docker.compose.project` label says it. */
  name: string;
  /** The loaded project; undefined when only the name was given. */
  project?: Project;
  engine: EngineClient;
}

/** The project (or only its name) and a connected engine, opened concurrently. */
export async function openTarget(load: LoadOptions, engine: EngineOptions = {}, services: string[] = []): Promise<Target> {
  const [found, client] = await Promise.all([projectOrName(load, services), openEngine(engine)]);
  return { ...found, engine: client };
}

export async function projectOrName(load: LoadOptions, services: string[] = []): Promise<{ name: string; project?: Project }> {
  if (load.projectName && !load.files?.length) return { name: load.projectName.toLowerCase() };
  try {
    // Naming services enables their profiles and checks that they exist.
    const project = await loadProject({ ...load, services: services.length ? services : load.services });
    return { name: project.name, project };
  } catch (e) {
    // A service that does not exist stays an error; a missing or broken file
    // does not when the environment names the project.
    if (isGantryError(e) && e.kind === 'usage') throw e;
    const fromEnv = (load.env ?? process.env).COMPOSE_PROJECT_NAME;
    if (fromEnv) return { name: fromEnv.toLowerCase() };
    throw e;
  }
}
