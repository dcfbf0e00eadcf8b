// What the planner reads (the engine's objects, as found by their compose
// labels) and what it writes (actions, each one engine operation's worth).

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' | string;

export interface ObservedContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  state: ContainerState;
  image?: string;
  /** `sha256:…` of the image the container was made from. */
  imageId?: string;
}

export interface ObservedState {
  containers: ObservedContainer[];
  networks: { name: string; labels: Record<string, string> }[];
  volumes: { name: string; labels: Record<string, string> }[];
}

export type ActionKind =
  | 'create-network'
  | 'create-volume'
  | 'create-container'
  | 'recreate-container'
  | 'start-container'
  | 'stop-container'
  | 'remove-container'
  | 'remove-network'
  | 'remove-volume'
  | 'remove-image'
  | 'keep-container';

export interface Action {
  kind: ActionKind;
  /** Engine-side name of the object. */
  name: string;
  service?: string;
  number?: number;
  /** The container to replace or act on, when it exists. */
  containerId?: string;
  /** Key in the project (networks/volumes). */
  key?: string;
  /** Why, in words: "image, environment changed", "scale 3 → 1". */
  reason: string;
}

export interface Plan {
  project: string;
  /** Networks and volumes, before any container. */
  resources: Action[];
  /** Per service, its containers' actions in order; run in dependency order. */
  services: Record<string, Action[]>;
  /** Containers of services no longer in the project. */
  orphans: Action[];
  /** Networks, volumes and (`--rmi`) images removed after every container (down). */
  cleanup: Action[];
  warnings: string[];
}
