// Images in the Docker Engine API's own words (PascalCase fields).

import type { ContainerConfig, Labels } from './container-types.js';

export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  Labels: Labels | null;
  Containers: number;
  [field: string]: unknown;
}

export interface ImageDetails {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: string;
  Architecture: string;
  Variant?: string;
  Os: string;
  Size: number;
  Config: ContainerConfig | null;
  RootFS: { Type: string; Layers?: string[] };
  [field: string]: unknown;
}

export interface DeletedImage {
  Untagged?: string;
  Deleted?: string;
}

/** What a registry login gives; sent as the X-Registry-Auth header. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** One line of pull or push progress, as the engine sends it. */
export interface ProgressMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: Record<string, unknown>;
}

/** One line of build output: `stream` text, `aux` (the image ID), or status. */
export interface BuildMessage extends ProgressMessage {
  stream?: string;
}

export interface BuildOptions {
  /** `name:tag` for each tag the image gets. */
  tags?: string[];
  /** Path of the Dockerfile inside the context; `Dockerfile` by default. */
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  labels?: Labels;
  pull?: boolean;
  noCache?: boolean;
  cacheFrom?: string[];
  platform?: string;
  networkMode?: string;
  /** `host:ip` entries. */
  extraHosts?: string[];
  shmSize?: number;
  /** Credentials per registry, for base images behind a login. */
  registryAuth?: Record<string, RegistryAuth>;
  signal?: AbortSignal;
}
