// plan/ owns the decision half of "decide, then do": desired state (the
// loaded Project) against observed state (the engine's objects, found by
// their com.docker.compose.* labels) gives a Plan — actions with reasons —
// that `--dry-run` prints and the executor in project/ carries out without
// deciding anything itself. Pure: no I/O, no engine.

export type { Action, ActionKind, ContainerState, ObservedContainer, ObservedState, Plan } from './types.js';
export { planUp, upServices, type UpPlanOptions } from './up.js';
export { planDown, type DownPlanOptions } from './down.js';
export { formatPlan, isNoop, planActions } from './format.js';
export { containerLabels, decodeDigests, encodeDigests } from './labels.js';
export { containerNumber, isOneOff, replicasByService } from './observed.js';
