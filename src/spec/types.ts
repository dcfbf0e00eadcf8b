// The bound result of the loader: one validated, normalized compose project.
// Keys keep the Compose Specification's spelling (snake_case) so that the
// model, `compose config` output and the spec's text read the same. Every
// attribute is in its canonical long form; durations are nanoseconds and
// byte sizes are bytes (numbers), as the Docker Engine API wants them.

export type Nanoseconds = number;
export type Bytes = number;

export interface ServicePort {
  target: number;
  /** Host port or range as written ("8080", "8080-8081"); absent = ephemeral. */
  published?: string;
  host_ip?: string;
  protocol: 'tcp' | 'udp' | 'sctp' | string;
  app_protocol?: string;
  mode: 'ingress' | 'host' | string;
  name?: string;
}

export interface ServiceVolume {
  type: 'bind' | 'volume' | 'tmpfs' | 'image' | 'npipe' | 'cluster';
  /** Absolute host path for bind; volume name for volume; absent for anonymous/tmpfs. */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: 'z' | 'Z'; recursive?: string };
  volume?: { nocopy?: boolean; subpath?: string; labels?: Record<string, string> };
  tmpfs?: { size?: Bytes; mode?: number };
  image?: { subpath?: string };
}

export interface ServiceDependency {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
  restart?: boolean;
}

export interface BuildConfig {
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  target?: string;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface Healthcheck {
  test?: string[];
  interval?: Nanoseconds;
  timeout?: Nanoseconds;
  retries?: number;
  start_period?: Nanoseconds;
  start_interval?: Nanoseconds;
  disable?: boolean;
}

export interface ServiceNetworkAttachment {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  priority?: number;
  [key: string]: unknown;
}

export interface FileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface ServiceConfig {
  /** The service's key in `services:`. Not part of the compose file itself. */
  name: string;
  image?: string;
  build?: BuildConfig;
  command?: string[] | null;
  entrypoint?: string[] | null;
  environment: Record<string, string | null>;
  env_file?: { path: string; required: boolean; format?: string }[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ports?: ServicePort[];
  expose?: string[];
  volumes?: ServiceVolume[];
  volumes_from?: string[];
  tmpfs?: string[];
  networks?: Record<string, ServiceNetworkAttachment | null>;
  network_mode?: string;
  depends_on?: Record<string, ServiceDependency>;
  links?: string[];
  healthcheck?: Healthcheck;
  restart?: string;
  scale?: number;
  deploy?: { replicas?: number; [key: string]: unknown };
  profiles?: string[];
  container_name?: string;
  hostname?: string;
  working_dir?: string;
  user?: string;
  stop_signal?: string;
  stop_grace_period?: Nanoseconds;
  init?: boolean;
  tty?: boolean;
  stdin_open?: boolean;
  privileged?: boolean;
  read_only?: boolean;
  secrets?: FileReference[];
  configs?: FileReference[];
  mem_limit?: Bytes;
  shm_size?: Bytes;
  pull_policy?: string;
  develop?: { watch?: { path: string; action: string; target?: string; ignore?: string[]; include?: string[]; [k: string]: unknown }[] };
  /** Every other Compose attribute, already normalized, keyed as in the spec. */
  [key: string]: unknown;
}

export interface NetworkConfig {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv6?: boolean;
  ipam?: { driver?: string; config?: { subnet?: string; ip_range?: string; gateway?: string; aux_addresses?: Record<string, string> }[]; options?: Record<string, string> };
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface VolumeConfig {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface SecretOrConfig {
  name: string;
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface Project {
  name: string;
  /** The project directory: relative paths in the files resolve against it. */
  workingDir: string;
  /** Absolute paths of the compose files, in merge order ('-' for stdin). */
  configFiles: string[];
  /** The variables interpolation saw: process environment over `.env` files. */
  environment: Record<string, string>;
  services: Record<string, ServiceConfig>;
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, SecretOrConfig>;
  configs: Record<string, SecretOrConfig>;
  models?: Record<string, Record<string, unknown>>;
  /** Services left out because none of their profiles is active. */
  disabledServices: Record<string, ServiceConfig>;
  /** The profiles that were active. */
  profiles: string[];
  /** Top-level `x-*` extension fields, kept as written. */
  extensions: Record<string, unknown>;
}
