/**
 * The Go structs a template sees, as the reference declares them (field
 * names and order matter: `%v`, `%+v`, `toJSON` and field access read them).
 * Each class's own fields are its Go fields in declaration order; `goType`
 * is the name Go prints, `goPointer` says the reference hands out pointers.
 *
 * Named slice types (`dependency.ServiceTags`, `api.HealthChecks`) are plain
 * arrays tagged with `goSlice`, so `range`, `len`, `index`, `in` and
 * `contains` see an ordinary list while `%T` and errors such as
 * "can't evaluate field Contains in type dependency.ServiceTags" can name
 * the Go type.
 */
import { GoStruct, stringMap, typedMap } from '../template/value.ts'

/** Symbol under which an array carries its Go type name. */
export const goSliceType = Symbol.for('ctmpl.goType')

/** Tags an array with the Go type name of its slice type; returns it. */
export function goSlice<T extends unknown[]>(arr: T, goType: string): T {
  Object.defineProperty(arr, goSliceType, { value: goType, enumerable: false })
  return arr
}

/** Compares strings byte-wise in UTF-8, as Go's `<` on strings does. */
export function compareGo(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    // UTF-16 puts surrogates (code points ≥ 0x10000) below U+E000–U+FFFF;
    // UTF-8 order is code point order, so lift surrogates above them.
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800
    return x < y ? -1 : 1
  }
  return a.length - b.length
}

/** Returns a sorted copy of tags as a dependency.ServiceTags. */
export function serviceTags(tags: unknown): string[] {
  const list = Array.isArray(tags) ? tags.map(String) : []
  return goSlice(list.sort(compareGo), 'dependency.ServiceTags')
}

/** Reads a JSON field by exact name, then case-insensitively (Go's JSON
 * decoding matches field names without regard to case). */
export function field(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined
  const o = obj as Record<string, unknown>
  if (name in o) return o[name]
  const lower = name.toLowerCase()
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k]
  return undefined
}

/** Reads a string field ("" when absent or not a string). */
export function str(obj: unknown, name: string): string {
  const v = field(obj, name)
  return typeof v === 'string' ? v : ''
}

/** Reads an integer field (0 when absent). */
export function int(obj: unknown, name: string): number {
  const v = field(obj, name)
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0
}

/** Reads a boolean field (false when absent). */
export function bool(obj: unknown, name: string): boolean {
  return field(obj, name) === true
}

/** Reads a map[string]string field (empty when absent or null). */
export function strMap(obj: unknown, name: string): Record<string, string> {
  const v = field(obj, name)
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return stringMap()
  const out: Record<string, string> = {}
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : String(x)
  return stringMap(out)
}

/** Reads a []string field (empty when absent or null). */
export function strList(obj: unknown, name: string): string[] {
  const v = field(obj, name)
  return Array.isArray(v) ? v.map(String) : []
}

/** api.AgentWeights. */
export class AgentWeights extends GoStruct {
  static override goType = 'api.AgentWeights'
  Passing = 0
  Warning = 0

  /** Decodes the JSON object (zero values when absent). */
  static from(json: unknown): AgentWeights {
    const w = new AgentWeights()
    w.Passing = int(json, 'Passing')
    w.Warning = int(json, 'Warning')
    return w
  }
}

/** api.ServiceAddress: one tagged address of a service. */
export class ServiceAddress extends GoStruct {
  static override goType = 'api.ServiceAddress'
  Address = ''
  Port = 0

  /** Decodes {Address, Port} (either case, as Go's decoder accepts). */
  static from(json: unknown): ServiceAddress {
    const a = new ServiceAddress()
    a.Address = str(json, 'Address')
    a.Port = int(json, 'Port')
    return a
  }
}

const zeroServiceAddress = Object.freeze(new ServiceAddress())

/** Decodes map[string]api.ServiceAddress; missing keys read as zero. */
export function serviceAddressMap(json: unknown): Record<string, ServiceAddress> {
  const out: Record<string, ServiceAddress> = Object.create(null)
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    for (const [k, v] of Object.entries(json)) out[k] = ServiceAddress.from(v)
  }
  return typedMap(out, zeroServiceAddress)
}

/** api.HealthCheckDefinition (the string/bool fields as JSON gives them). */
export class HealthCheckDefinition extends GoStruct {
  static override goType = 'api.HealthCheckDefinition'
  HTTP = ''
  Header: Record<string, string[]> = Object.create(null)
  Method = ''
  Body = ''
  TLSServerName = ''
  TLSSkipVerify = false
  TCP = ''
  TCPUseTLS = false
  UDP = ''
  GRPC = ''
  OSService = ''
  GRPCUseTLS = false
  Interval = ''
  Timeout = ''
  DeregisterCriticalServiceAfter = ''

  /** Decodes a check's Definition object. */
  static from(json: unknown): HealthCheckDefinition {
    const d = new HealthCheckDefinition()
    for (const k of ['HTTP', 'Method', 'Body', 'TLSServerName', 'TCP', 'UDP', 'GRPC',
      'OSService', 'Interval', 'Timeout', 'DeregisterCriticalServiceAfter'] as const) {
      d[k] = str(json, k)
    }
    for (const k of ['TLSSkipVerify', 'TCPUseTLS', 'GRPCUseTLS'] as const) d[k] = bool(json, k)
    const header = field(json, 'Header')
    if (header && typeof header === 'object') {
      for (const [k, v] of Object.entries(header)) {
        d.Header[k] = Array.isArray(v) ? v.map(String) : []
      }
    }
    typedMap(d.Header, null)
    return d
  }
}

/** api.HealthCheck: one check of a health entry, every API field. */
export class HealthCheck extends GoStruct {
  static override goType = 'api.HealthCheck'
  static override goPointer = true
  Node = ''
  CheckID = ''
  Name = ''
  Status = ''
  Notes = ''
  Output = ''
  ServiceID = ''
  ServiceName = ''
  ServiceTags: string[] = []
  Type = ''
  Namespace = ''
  Partition = ''
  ExposedPort = 0
  PeerName = ''
  Definition = new HealthCheckDefinition()
  CreateIndex = 0
  ModifyIndex = 0

  /** Decodes one check object. */
  static from(json: unknown): HealthCheck {
    const c = new HealthCheck()
    for (const k of ['Node', 'CheckID', 'Name', 'Status', 'Notes', 'Output', 'ServiceID',
      'ServiceName', 'Type', 'Namespace', 'Partition', 'PeerName'] as const) {
      c[k] = str(json, k)
    }
    c.ServiceTags = strList(json, 'ServiceTags')
    c.ExposedPort = int(json, 'ExposedPort')
    c.Definition = HealthCheckDefinition.from(field(json, 'Definition'))
    c.CreateIndex = int(json, 'CreateIndex')
    c.ModifyIndex = int(json, 'ModifyIndex')
    return c
  }
}

/** dependency.HealthService: what `service` and `connect` give. */
export class HealthService extends GoStruct {
  static override goType = 'dependency.HealthService'
  static override goPointer = true
  Node = ''
  NodeID = ''
  NodeAddress = ''
  NodeTaggedAddresses = stringMap()
  NodeMeta = stringMap()
  ServiceMeta = stringMap()
  Address = ''
  ServiceTaggedAddresses = serviceAddressMap(null)
  ID = ''
  Name = ''
  Tags: string[] = serviceTags([])
  Checks: HealthCheck[] = goSlice([], 'api.HealthChecks')
  Status = ''
  Port = 0
  Weights = new AgentWeights()
}

/** dependency.Node: what `nodes` lists and `node` points to. */
export class Node extends GoStruct {
  static override goType = 'dependency.Node'
  static override goPointer = true
  ID = ''
  Node = ''
  Address = ''
  Datacenter = ''
  TaggedAddresses = stringMap()
  Meta = stringMap()

  /** Decodes a catalog node object. */
  static from(json: unknown): Node {
    const n = new Node()
    n.ID = str(json, 'ID')
    n.Node = str(json, 'Node')
    n.Address = str(json, 'Address')
    n.Datacenter = str(json, 'Datacenter')
    n.TaggedAddresses = strMap(json, 'TaggedAddresses')
    n.Meta = strMap(json, 'Meta')
    return n
  }
}

/** dependency.CatalogNodeService: one service on a `node`. */
export class CatalogNodeService extends GoStruct {
  static override goType = 'dependency.CatalogNodeService'
  static override goPointer = true
  ID = ''
  Service = ''
  Tags: string[] = serviceTags([])
  Meta = stringMap()
  Port = 0
  Address = ''
  EnableTagOverride = false
}

/** dependency.CatalogNode: what `node` gives. */
export class CatalogNode extends GoStruct {
  static override goType = 'dependency.CatalogNode'
  static override goPointer = true
  Node: Node | null = null
  Services: CatalogNodeService[] = goSlice([], '[]*dependency.CatalogNodeService')
}

/** dependency.CatalogSnippet: one entry of `services`. */
export class CatalogSnippet extends GoStruct {
  static override goType = 'dependency.CatalogSnippet'
  static override goPointer = true
  Name = ''
  Tags: string[] = serviceTags([])
}

/** dependency.KeyPair: one entry of `ls` and `tree`. */
export class KeyPair extends GoStruct {
  static override goType = 'dependency.KeyPair'
  static override goPointer = true
  Path = ''
  Key = ''
  Value = ''
  CreateIndex = 0
  ModifyIndex = 0
  LockIndex = 0
  Flags = 0
  Session = ''
}
