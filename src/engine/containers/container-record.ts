// A container as the engine keeps it: docker's inspect fields (so the record
// is also the answer to `GET /containers/{id}/json`) plus the few private
// fields the engine needs to find the container's monitor again.

import type { ContainerConfig, EndpointSettings, HostConfig } from './docker-types.js';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface HealthLogEntry {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface HealthState {
  Status: 'starting' | 'healthy' | 'unhealthy' | 'none';
  FailingStreak: number;
  Log: HealthLogEntry[];
}

export interface ContainerState {
  Status: ContainerStatus;
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
  Health?: HealthState;
}

export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

export interface ContainerRecord {
  Id: string;
  /** With docker's leading slash: `/web-1`. */
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  Config: ContainerConfig;
  HostConfig: HostConfig;
  /** The image's id (`sha256:…`); Config.Image keeps the name as asked. */
  Image: string;
  State: ContainerState;
  RestartCount: number;
  LogPath: string;
  HostnamePath: string;
  HostsPath: string;
  ResolvConfPath: string;
  Mounts: MountPoint[];
  Networks: Record<string, EndpointSettings>;
  /** The host ports actually bound while running (ephemeral ports resolved). */
  PublishedPorts?: Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
  /** Engine-private: the monitor holding the running container's stdio. */
  MonitorPid?: number;
  /** Engine-private: the user stopped it, so `unless-stopped` and `always` leave it (until the engine restarts, for `always`). */
  StoppedByUser?: boolean;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function freshState(): ContainerState {
  return {
    Status: 'created',
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 0,
    ExitCode: 0,
    Error: '',
    StartedAt: ZERO_TIME,
    FinishedAt: ZERO_TIME,
  };
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

export function displayName(record: ContainerRecord): string {
  return record.Name.replace(/^\//, '');
}
