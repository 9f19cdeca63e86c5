/**
 * The development agent's public surface: start one, reach its store.
 */
export { startDevAgent, buildRouter } from './agent.ts'
export type { DevAgent, DevAgentOptions } from './agent.ts'
export { StateStore } from './state.ts'
export type { ServiceSpec, StateOptions } from './state.ts'
export type { StatsSnapshot } from './stats.ts'
export type {
  CheckStatus, HealthCheck, KVEntry, Node, NodeService, Session,
} from './types.ts'
