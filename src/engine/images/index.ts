// engine/images owns the engine's images: the content-addressed store (OCI
// blobs, configs, one unpacked dir per layer shared by every image), safe
// layer unpacking (no path escapes, docker whiteouts → overlayfs), overlay
// root filesystems for containers, tag/inspect/remove/history, and the
// import/save/load archive formats, commit, the registry client
// (`registry/`: pull and push) and the Dockerfile builder (`builder/`).

export { ImageStore, type StoredImage, type LayerRecord, type RemoveReport, type ImageStoreOptions, type AddLayer } from './image-store.js';
export { importRootfs, type ImportOptions } from './import-image.js';
export { loadArchive, saveArchive, type LoadResult } from './docker-archive.js';
export { Snapshots } from './snapshots.js';
export { mountPoints } from '../mount-points.js';
export { unpackLayer, UnsafeLayerError, type UnpackResult } from './layer-unpack.js';
export { applyChanges } from './image-changes.js';
export { hostArchitecture, parseImageConfig, type ImageConfigFile, type HistoryEntry } from './image-config.js';
export { familiarName, normalizeRef, normalizeTag, shortId } from './image-names.js';
export { tarStream, tarBuffer, type TarMember } from './tar-writer.js';
export { treeMembers } from './tree-members.js';
