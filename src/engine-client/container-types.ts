// Containers in the Docker Engine API's own words (PascalCase fields), so the
// rest of gantry depends on the protocol, not on a client library's types.
// Only the fields gantry reads are spelled out; the index signatures carry the
// rest through untouched, so a newer engine's field is never lost on the way.

export type Labels = Record<string, string>;

/** `{"label": ["a=b"], "status": ["running"]}`: every value must match one entry. */
export type Filters = Record<string, string[] | undefined>;

export interface PortBinding {
  HostIp?: string;
  HostPort?: string;
}

export interface EndpointSettings {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] } | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  MacAddress?: string;
  DriverOpts?: Record<string, string> | null;
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  GlobalIPv6Address?: string;
  DNSNames?: string[] | null;
  [field: string]: unknown;
}

export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | string;
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

export interface ContainerSummary {
  Id: string;
  /** With a leading slash: `/hello-web-1`. */
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  State: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' | string;
  Status: string;
  Ports: { IP?: string; PrivatePort: number; PublicPort?: number; Type: 'tcp' | 'udp' | 'sctp' | string }[];
  Labels: Labels;
  NetworkSettings?: { Networks: Record<string, EndpointSettings> };
  Mounts: MountPoint[];
  [field: string]: unknown;
}

export interface HealthCheckConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

/** The image-independent part of a container's configuration (`Config`). */
export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[];
  Cmd?: string[];
  Healthcheck?: HealthCheckConfig;
  Image?: string;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Entrypoint?: string[];
  MacAddress?: string;
  Labels?: Labels;
  StopSignal?: string;
  StopTimeout?: number;
  [field: string]: unknown;
}

export interface HostConfig {
  Binds?: string[];
  Mounts?: Record<string, unknown>[];
  NetworkMode?: string;
  PortBindings?: Record<string, PortBinding[]>;
  RestartPolicy?: { Name: string; MaximumRetryCount?: number };
  AutoRemove?: boolean;
  Privileged?: boolean;
  Init?: boolean;
  [field: string]: unknown;
}

export interface NetworkingConfig {
  EndpointsConfig?: Record<string, EndpointSettings>;
}

/** The body of `POST /containers/create`: Config's fields plus HostConfig and NetworkingConfig. */
export interface CreateContainerRequest extends ContainerConfig {
  Image: string;
  HostConfig?: HostConfig;
  NetworkingConfig?: NetworkingConfig;
}

export interface CreateContainerResponse {
  Id: string;
  Warnings: string[] | null;
}

export interface ContainerState {
  Status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' | string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  Health?: { Status: 'none' | 'starting' | 'healthy' | 'unhealthy' | string; FailingStreak: number; Log: { Start: string; End: string; ExitCode: number; Output: string }[] | null };
}

export interface ContainerDetails {
  Id: string;
  /** With a leading slash: `/hello-web-1`. */
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Image: string;
  RestartCount: number;
  Config: ContainerConfig;
  HostConfig: HostConfig;
  NetworkSettings: { Networks: Record<string, EndpointSettings>; Ports: Record<string, PortBinding[] | null> | null; [field: string]: unknown };
  Mounts: MountPoint[];
  [field: string]: unknown;
}

export interface ContainerTop {
  Titles: string[];
  Processes: string[][];
}

/** `GET /containers/{id}/stats?stream=false`; the shape differs between cgroup v1 and v2. */
export interface ContainerStats {
  read: string;
  cpu_stats: Record<string, unknown>;
  precpu_stats: Record<string, unknown>;
  memory_stats: Record<string, unknown>;
  networks?: Record<string, Record<string, number>>;
  pids_stats?: { current?: number; limit?: number };
  blkio_stats?: { io_service_bytes_recursive?: Array<{ major: number; minor: number; op: string; value: number }> | null };
  [field: string]: unknown;
}

/** `X-Docker-Container-Path-Stat` of the archive calls. */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export interface ExecConfig {
  Cmd: string[];
  Env?: string[];
  User?: string;
  WorkingDir?: string;
  Tty?: boolean;
  Privileged?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
  ConsoleSize?: [number, number];
}

export interface ExecDetails {
  ID: string;
  ContainerID: string;
  Running: boolean;
  /** null while it runs. */
  ExitCode: number | null;
  Pid: number;
  OpenStdin: boolean;
  OpenStdout: boolean;
  OpenStderr: boolean;
  ProcessConfig: { tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user?: string };
  [field: string]: unknown;
}
