// `/_ping`, `/version`, `/info`: what clients ask before anything else.

import { arch, cpus, hostname, release, totalmem } from 'node:os';
import { sendJson } from '../http-io.js';
import { API_VERSION, MIN_API_VERSION, type Router } from '../router.js';
import type { EngineOptions } from '../../options.js';

export const ENGINE_VERSION = '0.1.0';

export interface SystemInfoSource {
  options: EngineOptions;
  startedAt: Date;
  /** Counts and runtime facts filled in by the services as they come up. */
  info?: () => Record<string, unknown>;
}

export function registerSystemRoutes(router: Router, source: SystemInfoSource): void {
  const ping = (ctx: Parameters<Parameters<Router['get']>[1]>[0]) => {
    const res = ctx.res!;
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Api-Version': API_VERSION,
      'Ostype': 'linux',
      'Docker-Experimental': 'false',
      'Cache-Control': 'no-cache, no-store, must-revalidate',
      Pragma: 'no-cache',
    });
    res.end(ctx.method === 'HEAD' ? undefined : 'OK');
  };
  router.get('/_ping', ping);
  router.head('/_ping', ping);

  router.get('/version', (ctx) => {
    sendJson(ctx.res!, 200, {
      Platform: { Name: 'gantry engine' },
      Components: [{ Name: 'Engine', Version: ENGINE_VERSION, Details: { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: 'linux', Arch: goArch() } }],
      Version: ENGINE_VERSION,
      ApiVersion: API_VERSION,
      MinAPIVersion: MIN_API_VERSION,
      Os: 'linux',
      Arch: goArch(),
      KernelVersion: release(),
      GoVersion: `node${process.versions.node}`,
      GitCommit: '',
      BuildTime: '',
    });
  });

  router.get('/info', (ctx) => {
    sendJson(ctx.res!, 200, {
      ID: 'gantry',
      Name: hostname(),
      ServerVersion: ENGINE_VERSION,
      OperatingSystem: 'gantry engine',
      OSType: 'linux',
      Architecture: arch() === 'x64' ? 'x86_64' : arch(),
      KernelVersion: release(),
      NCPU: cpus().length,
      MemTotal: totalmem(),
      DockerRootDir: source.options.dataRoot,
      Driver: 'overlay2',
      LoggingDriver: 'json-file',
      CgroupDriver: 'cgroupfs',
      SystemTime: new Date().toISOString(),
      ...(source.info?.() ?? {}),
    });
  });
}

function goArch(): string {
  const a = arch();
  return a === 'x64' ? 'amd64' : a === 'ia32' ? '386' : a;
}
