// The embedded engine: a daemon that serves the Docker Engine API on a unix
// socket and runs containers through an OCI runtime (runc or crun). It owns
// everything below the protocol: the HTTP routes (api/), durable records
// (store/), the event stream (events/), containers and their monitors
// (containers/), the image store and root filesystems (images/), networks
// and volumes. It never imports the client half; the two meet only in the
// protocol and in src/common/.

export { startEngine, type EngineHandle } from './daemon.js';
export { type EngineOptions, defaultEngineOptions } from './options.js';
