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
import { normalizeGoDuration } from './duration.ts'

/** Symbol under which an array carries its Go type name. */
export const goSliceType = Symbol.for('ctmpl.goType')

/** Marks a map that is a Go nil map (JSON null from the API): it reads
 * and prints as an empty map, but encoding/json writes `null`. */
export const nilMapMark = Symbol.for('ctmpl.nilMap')

/** A struct method under this symbol returns its JSON object entries in
 * order, as the Go type's json tags or MarshalJSON would produce them
 * (omitempty fields left out, custom fields first). */
export const jsonEntriesMark = Symbol.for('ctmpl.jsonEntries')

/** Marks a map as a Go nil map; returns it. */
export function nilMap<T extends object>(map: T): T {
  Object.defineProperty(map, nilMapMark, { value: true, enumerable: false })
  return map
}

/** Reports whether v is a JSON object (not null, not an array). */
function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

// Go's nil maps cannot be written to, so one frozen instance per type
// serves every struct: shaping a large catalog allocates none of them.
const nilStringMap: Record<string, string> = Object.freeze(nilMap(stringMap()))

/** Tags an array (or a map) with the Go type name of its slice (or map)
 * type; returns it. */
export function goSlice<T extends object>(arr: T, goType: string): T {
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
  if (!isObject(v)) return nilStringMap
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

function newServiceAddressMap(): Record<string, ServiceAddress> {
  const out: Record<string, ServiceAddress> = Object.create(null)
  return typedMap(goSlice(out, 'map[string]api.ServiceAddress'), zeroServiceAddress)
}

const nilServiceAddressMap = Object.freeze(nilMap(newServiceAddressMap()))

/** Decodes map[string]api.ServiceAddress; missing keys read as zero. */
export function serviceAddressMap(json: unknown): Record<string, ServiceAddress> {
  if (!isObject(json)) return nilServiceAddressMap
  const out = newServiceAddressMap()
  for (const [k, v] of Object.entries(json)) out[k] = ServiceAddress.from(v)
  return out
}

// A missing header reads as Go's zero []string, a nil slice printed [].
const nilStringSlice = Object.freeze(goSlice([] as string[], '[]string')) as string[]

function newHeaderMap(): Record<string, string[]> {
  return typedMap(goSlice(Object.create(null), 'map[string][]string'), nilStringSlice)
}

const nilHeaderMap = Object.freeze(nilMap(newHeaderMap()))

/** Decodes a map[string][]string (HTTP check headers). */
function headerMap(json: unknown): Record<string, string[]> {
  if (!isObject(json)) return nilHeaderMap
  const h = newHeaderMap()
  for (const [k, v] of Object.entries(json)) h[k] = Array.isArray(v) ? v.map(String) : []
  return h
}

const defStrings = ['HTTP', 'Method', 'Body', 'TLSServerName', 'TCP', 'UDP', 'GRPC',
  'OSService', 'SessionName'] as const
const defBools = ['TLSSkipVerify', 'TCPUseTLS', 'GRPCUseTLS'] as const
const defDurations = ['Interval', 'Timeout', 'DeregisterCriticalServiceAfter'] as const
const defJSON = ['HTTP', 'Header', 'Method', 'Body', 'TLSServerName', 'TLSSkipVerify',
  'TCP', 'TCPUseTLS', 'UDP', 'GRPC', 'OSService', 'GRPCUseTLS'] as const
const checkStrings = ['Node', 'CheckID', 'Name', 'Status', 'Notes', 'Output',
  'ServiceID', 'ServiceName', 'Type', 'Namespace', 'Partition', 'PeerName'] as const
const checkOmitEmpty = new Set(['Namespace', 'Partition', 'PeerName'])

/** api.HealthCheckDefinition. Durations are kept as Go prints them
 * ("10s", "1m0s", "0s"). */
export class HealthCheckDefinition extends GoStruct {
  static override goType = 'api.HealthCheckDefinition'
  HTTP = ''
  Header: Record<string, string[]> = nilHeaderMap
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
  IntervalDuration = '0s'
  TimeoutDuration = '0s'
  DeregisterCriticalServiceAfterDuration = '0s'
  SessionName = ''
  Interval = '0s'
  Timeout = '0s'
  DeregisterCriticalServiceAfter = '0s'

  /** Decodes a check's Definition object. */
  static from(json: unknown): HealthCheckDefinition {
    // Most checks (TTL, serf) have an empty definition: share one.
    if (!isObject(json) || isEmpty(json)) return zeroDefinition
    const d = new HealthCheckDefinition()
    for (const k of defStrings) d[k] = str(json, k)
    for (const k of defBools) d[k] = bool(json, k)
    for (const k of defDurations) {
      d[k] = normalizeGoDuration(str(json, k))
      d[`${k}Duration`] = d[k]
    }
    d.Header = headerMap(field(json, 'Header'))
    return d
  }

  /** The API client's MarshalJSON: the three durations first, as strings,
   * then the other fields; the *Duration twins are never written. */
  [jsonEntriesMark](): [string, unknown][] {
    const out: [string, unknown][] = [['Interval', this.Interval], ['Timeout', this.Timeout],
      ['DeregisterCriticalServiceAfter', this.DeregisterCriticalServiceAfter]]
    for (const k of defJSON) out.push([k, this[k]])
    if (this.SessionName !== '') out.push(['SessionName', this.SessionName])
    return out
  }
}

const zeroDefinition = Object.freeze(new HealthCheckDefinition())

function isEmpty(o: object): boolean {
  for (const _ in o) return false
  return true
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
  Definition = zeroDefinition
  CreateIndex = 0
  ModifyIndex = 0

  /** Decodes one check object. */
  static from(json: unknown): HealthCheck {
    const c = new HealthCheck()
    for (const k of checkStrings) c[k] = str(json, k)
    c.ServiceTags = strList(json, 'ServiceTags')
    c.ExposedPort = int(json, 'ExposedPort')
    c.Definition = HealthCheckDefinition.from(field(json, 'Definition'))
    c.CreateIndex = int(json, 'CreateIndex')
    c.ModifyIndex = int(json, 'ModifyIndex')
    return c
  }

  /** Every field but the omitempty ones (Namespace, Partition, PeerName)
   * when empty, as the API type's json tags say. */
  [jsonEntriesMark](): [string, unknown][] {
    return Object.entries(this).filter(([k, v]) => !(checkOmitEmpty.has(k) && v === ''))
  }
}

/** dependency.HealthService: what `service` and `connect` give. */
export class HealthService extends GoStruct {
  static override goType = 'dependency.HealthService'
  static override goPointer = true
  Node = ''
  NodeID = ''
  NodeAddress = ''
  NodeTaggedAddresses = nilStringMap
  NodeMeta = nilStringMap
  ServiceMeta = nilStringMap
  Address = ''
  ServiceTaggedAddresses = nilServiceAddressMap
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
  TaggedAddresses = nilStringMap
  Meta = nilStringMap

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
  Meta = nilStringMap
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
