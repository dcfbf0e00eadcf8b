/** The compose file of the config benchmark: `n` services with anchors, merges, interpolation, ports, volumes and depends_on. */
export function generateBig(n?: number): string;
