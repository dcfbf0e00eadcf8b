// The labels docker compose puts on the objects it creates. gantry writes and
// reads the same ones so that each tool sees the other's containers, networks
// and volumes on one engine.

export const Label = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  environmentFile: 'com.docker.compose.project.environment_file',
  dependsOn: 'com.docker.compose.depends_on',
  image: 'com.docker.compose.image',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  replace: 'com.docker.compose.replace',
  /** gantry's own: per-attribute digests, so a recreate can say which field changed. */
  fieldDigests: 'dev.gantry.config-fields',
} as const;

/** `<project>-<service>-<n>`: docker compose v2's container name. */
export function containerName(project: string, service: string, number: number): string {
  return `${project}-${service}-${number}`;
}

/** `<project>_<name>`: the engine-side name of a project's network or volume. */
export function scopedName(project: string, name: string): string {
  return `${project}_${name}`;
}
