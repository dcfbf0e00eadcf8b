// The OCI runtime driver: choosing runc or crun for this host and running its
// lifecycle commands (start, kill, delete, state, pause, resume, ps, list).
// `create` and `exec` are not here: the container monitor runs those, because
// it must be the container's parent.

export { detectRuntime, isHybridCgroup, type RuntimeInfo, type RuntimeName } from './detect-runtime.js';
export { OciRuntime, RuntimeError, runtimeMessage, type RuntimeListEntry, type RuntimeState } from './oci-runtime.js';
