// OCI bundle generation: turns a docker container-create request and its
// image's config into the runtime spec (config.json) that runc/crun runs,
// with docker's defaults (capabilities, masked paths, mounts, devices,
// rlimits) and docker's create-time validation. Everything here is pure but
// the two small modules that read the host (host-features) and the image's
// rootfs (rootfs-files), and writeBundle.

export { BundleError } from './bundle-error.js';
export { ALL_CAPABILITIES, capabilitySets, normalizeCapability, resolveCapabilities } from './capabilities.js';
export * from './defaults.js';
export { checkPermissions, deviceRules, hostDevices, resolveDevices, type ResolvedDevice } from './devices.js';
export { detectHostFeatures, type HostFeatures } from './host-features.js';
export { cleanTarget, resolveMounts, tmpfsOptions, type EtcFiles, type Propagation, type ResolvedMount } from './mounts.js';
export { checkSysctlNamespaces, resolveNamespaces, type NamespaceInput } from './namespaces.js';
export { buildOciSpec, INIT_TARGET, OCI_VERSION, type BundleInput } from './oci-spec.js';
export type * from './oci-types.js';
export { DEFAULT_PATH, resolveProcess, type ProcessContext, type ResolvedProcess } from './process-spec.js';
export { resolveOomScoreAdj, resolveResources, resolveRlimits, resolveSysctls } from './resources.js';
export { readRootfsFile, readUserDatabase, resolveInRootfs } from './rootfs-files.js';
export { resolveUser, type ResolvedUser } from './user.js';
export { writeBundle } from './write-bundle.js';
export { specFromRequest, type SpecRequest } from './spec-from-request.js';
