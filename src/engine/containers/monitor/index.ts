// The container monitor: one small native process per container and per exec
// (native/gantry-monitor.c) that holds the process's stdio or pty, writes the
// json-file log, serves attach clients and records the exit, so containers
// outlive the engine. This folder owns spawning it, talking to its attach
// socket and reading what it leaves behind in its state directory.

export { monitorBinaryPath } from './monitor-binary.js';
export { monitorArguments, spawnMonitor, type MonitorSpawnOptions, type SpawnedMonitor } from './spawn-monitor.js';
export { connectMonitor, MonitorConnection, type MonitorConnectionEvents } from './monitor-connection.js';
export { readExitRecord, type ExitRecord } from './exit-record.js';
