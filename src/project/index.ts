// project/ owns the compose commands as functions: the programmatic API that
// the package exports and the CLI renders. It decides nothing about how
// output looks; it returns data and emits progress events.

export { loadProject, projectToDocument, serviceConfigHash, toYaml } from '../spec/index.js';
export type { LoadOptions, Project, ServiceConfig, Warning } from '../spec/index.js';
export { config, imageNames, profileNames, serviceHashes, serviceNames, type ConfigView } from './config.js';
export { graph, type GraphFormat } from './graph.js';
export { up, type UpOptions, type UpResult } from './up.js';
export { down, type DownOptions } from './down.js';
export type { ProgressEvent, ProgressSink } from './progress.js';
export { parallelLimit } from '../graph/index.js';
export { ps, CONTAINER_STATES, type PsOptions, type PsRow, type Publisher } from './ps.js';
export { logs, type LogSource, type LogsRequest, type ServiceLogLine } from './logs.js';
export { top, type ContainerProcesses, type TopOptions } from './top.js';
export { followStats, stats, type StatsOptions, type StatsRow } from './stats.js';
export { volumes, type VolumeRow, type VolumesOptions } from './volumes.js';
export { attach, type AttachedContainer, type AttachServiceOptions } from './attach-service.js';
export { commit, exportContainer, type CommitResult, type CommitServiceOptions, type ExportServiceOptions } from './commit-export.js';
export { port, type PortOptions, type PublishedPort } from './port.js';
export { images, type ContainerImage, type ImagesOptions } from './images.js';
export { events, type ComposeEvent, type EventsOptions } from './events.js';
export { ls, type LsOptions, type ProjectSummary } from './ls.js';
export { wait, type ContainerExit, type WaitOptions, type WaitResult } from './wait.js';
export { cp, type CopyOptions, type CopyResult } from './cp.js';
export type { AttachedProcess } from './attached-process.js';
export { exec, type ExecOptions, type ExecProcess } from './exec.js';
export { engineEntryPoint, engineStart, engineStatus, engineStop, type EngineControlOptions, type EngineStatus } from './engine-control.js';
export { upAttached, attachedServices, type AttachedUpOptions, type AttachedUpResult, type StopReason } from './attach.js';
export type { ContainerExitEvent } from './container-exits.js';
export type { PullPolicy } from './ensure-images.js';
export type { ContainerStep, LifecycleOptions } from './lifecycle.js';
export { start, type StartOptions } from './start.js';
export { stop, type StopOptions } from './stop.js';
export { restart, type RestartOptions } from './restart.js';
export { kill, type KillOptions } from './kill.js';
export { pause, type PauseOptions } from './pause.js';
export { unpause, type UnpauseOptions } from './unpause.js';
export { rm, type RmOptions, type RmResult } from './rm.js';
export { create, type CreateOptions } from './create.js';
export { scale, type ScaleOptions } from './scale.js';
export { run, type RunOptions, type RunProcess } from './run.js';
export { pull, type PullOptions, type PullPolicy as PullCommandPolicy, type PulledImage } from './pull.js';
export { push, type PushOptions, type PushedImage } from './push.js';
export { version, type VersionInfo, type VersionOptions } from './version.js';
export { build, type BuildOptions, type BuiltImage } from './build.js';
export { watch, type WatchStep, type WatchEvent, type WatchHandle, type WatchOptions } from './watch.js';
