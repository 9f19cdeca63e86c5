/**
 * Records as Consul's HTTP API spells them (PascalCase), so the store can
 * hand them to JSON.stringify without a conversion step.
 */

/** A catalog node. */
export interface Node {
  ID: string
  Node: string
  Address: string
  Datacenter: string
  TaggedAddresses: Record<string, string>
  Meta: Record<string, string>
  CreateIndex: number
  ModifyIndex: number
}

/** Service address entry in `TaggedAddresses`. */
export interface ServiceAddress {
  Address: string
  Port: number
}

/** A service instance registered on a node (Consul's NodeService). */
export interface NodeService {
  Kind?: string
  ID: string
  Service: string
  Tags: string[]
  Address: string
  TaggedAddresses?: Record<string, ServiceAddress>
  Meta: Record<string, string>
  Port: number
  Weights: { Passing: number; Warning: number }
  EnableTagOverride: boolean
  Proxy: Record<string, unknown>
  Connect: Record<string, unknown>
  PeerName: string
  CreateIndex: number
  ModifyIndex: number
}

/** A health check on a node, optionally bound to a service. */
export interface HealthCheck {
  Node: string
  CheckID: string
  Name: string
  Status: CheckStatus
  Notes: string
  Output: string
  ServiceID: string
  ServiceName: string
  ServiceTags: string[]
  Type: string
  Interval: string
  Timeout: string
  ExposedPort: number
  Definition: Record<string, unknown>
  CreateIndex: number
  ModifyIndex: number
}

/** The check states Consul knows. */
export type CheckStatus = 'passing' | 'warning' | 'critical'

/**
 * A KV entry; `Value` is base64 or null for an empty value. `Flags` is a
 * uint64 kept as decimal text: lock flags pass 2^53.
 */
export interface KVEntry {
  LockIndex: number
  Key: string
  Flags: string
  Value: string | null
  Session?: string
  CreateIndex: number
  ModifyIndex: number
}

/** A session (Consul's structs.Session as the API prints it). */
export interface Session {
  ID: string
  Name: string
  Node: string
  LockDelay: number
  Behavior: 'release' | 'delete'
  TTL: string
  NodeChecks: string[]
  ServiceChecks: { ID: string }[] | null
  CreateIndex: number
  ModifyIndex: number
}

/** Checks whether a string is a valid check status. */
export function isCheckStatus(s: unknown): s is CheckStatus {
  return s === 'passing' || s === 'warning' || s === 'critical'
}

/** An error carrying the HTTP status Consul answers with. */
export class HTTPError extends Error {
  override name = 'HTTPError'

  constructor(readonly status: number, message: string) {
    super(message)
  }
}
