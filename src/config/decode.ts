/**
 * Turns a parsed file (HCL or JSON tree) into one configuration layer.
 * The schema below lists every key consul-template v0.42.1 accepts, plus
 * ctmpl's own (`check`, `verify`, `status_file`, `log_format`). Unknown keys
 * and wrong types are collected, each with its key path and position, and
 * reported together.
 */
import type { ConfigProblem, Node, ObjectNode } from './ast.ts'
import type { PartialConfig, PartialTemplate, Position } from './types.ts'
import {
  ValueError, checkPerms, parseDuration, parsePermsString, parseSignal,
  parseWaitString, toCommand,
} from './values.ts'

/** How one key is read; `to` is the field it fills (dots nest). */
type Spec =
  | { t: 'string' | 'bool' | 'int' | 'float' | 'duration' | 'signal' | 'perms'
    | 'strings' | 'command' | 'wait' | 'idString'; to: string }
  | { t: 'block'; to: string; keys: Schema; scalar?: string }

type Schema = Record<string, Spec>

const s = (to: string): Spec => ({ t: 'string', to })
const b = (to: string): Spec => ({ t: 'bool', to })
const i = (to: string): Spec => ({ t: 'int', to })
const d = (to: string): Spec => ({ t: 'duration', to })
const list = (to: string): Spec => ({ t: 'strings', to })
const block = (to: string, keys: Schema): Spec => ({ t: 'block', to, keys })

const waitKeys: Schema = { min: d('minMs'), max: d('maxMs') }

const sslKeys: Schema = {
  enabled: b('enabled'), verify: b('verify'), cert: s('cert'), key: s('key'),
  ca_cert: s('caCert'), ca_path: s('caPath'), server_name: s('serverName'),
}

const retryKeys: Schema = {
  enabled: b('enabled'), attempts: i('attempts'), backoff: d('backoffMs'),
  max_backoff: d('maxBackoffMs'),
}

const transportKeys: Schema = {
  dial_keep_alive: d('dialKeepAliveMs'), dial_timeout: d('dialTimeoutMs'),
  disable_keep_alives: b('disableKeepAlives'),
  idle_conn_timeout: d('idleConnTimeoutMs'), max_idle_conns: i('maxIdleConns'),
  max_idle_conns_per_host: i('maxIdleConnsPerHost'),
  max_conns_per_host: i('maxConnsPerHost'),
  tls_handshake_timeout: d('tlsHandshakeTimeoutMs'),
}

const envKeys: Schema = {
  pristine: b('pristine'), custom: list('custom'),
  allowlist: list('allowlist'), whitelist: list('allowlist'),
  denylist: list('denylist'), blacklist: list('denylist'),
}

const consulKeys: Schema = {
  address: s('address'), namespace: s('namespace'), token: s('token'),
  token_file: s('tokenFile'),
  auth: block('auth', { enabled: b('enabled'), username: s('username'),
    password: s('password') }),
  retry: block('retry', retryKeys),
  ssl: block('ssl', sslKeys),
  transport: block('transport', transportKeys),
}

const execKeys: Schema = {
  enabled: b('enabled'), command: { t: 'command', to: 'command' },
  splay: d('splayMs'), reload_signal: { t: 'signal', to: 'reloadSignal' },
  kill_signal: { t: 'signal', to: 'killSignal' }, kill_timeout: d('killTimeoutMs'),
  timeout: d('timeoutMs'), env: block('env', envKeys),
}

// A template's own `exec {}` is the reference's long form of `command`;
// its process-supervision keys are accepted and have no effect there.
const templateExecKeys: Schema = {
  enabled: b('_execEnabled'), command: { t: 'command', to: '_execCommand' },
  timeout: d('_execTimeoutMs'), env: block('commandEnv', envKeys),
  splay: d('_execSplayMs'), reload_signal: { t: 'signal', to: '_execReload' },
  kill_signal: { t: 'signal', to: '_execKill' }, kill_timeout: d('_execKillMs'),
}

const templateKeys: Schema = {
  source: s('source'), contents: s('contents'), destination: s('destination'),
  create_dest_dirs: b('createDestDirs'), command: { t: 'command', to: 'command' },
  command_timeout: d('commandTimeoutMs'), perms: { t: 'perms', to: 'perms' },
  user: { t: 'idString', to: 'user' }, group: { t: 'idString', to: 'group' },
  uid: { t: 'idString', to: 'user' }, gid: { t: 'idString', to: 'group' },
  backup: b('backup'), left_delimiter: s('leftDelimiter'),
  right_delimiter: s('rightDelimiter'), error_on_missing_key: b('errorOnMissingKey'),
  error_fatal: b('errorFatal'), wait: { t: 'wait', to: 'wait' },
  function_denylist: list('functionDenylist'),
  function_blacklist: list('functionDenylist'), sandbox_path: s('sandboxPath'),
  exec: block('', templateExecKeys),
  check: block('check', { command: { t: 'command', to: 'command' },
    timeout: d('timeoutMs') }),
  verify: block('verify', { pid_file: s('pidFile'), pid: i('pid'),
    rollback: b('rollback') }),
}

const vaultKeys: Schema = {
  address: s('address'), namespace: s('namespace'), token: s('token'),
  vault_agent_token_file: s('agentTokenFile'), unwrap_token: b('unwrapToken'),
  renew_token: b('renewToken'), enabled: b('enabled'),
  default_lease_duration: d('defaultLeaseMs'),
  lease_renewal_threshold: { t: 'float', to: 'leaseRenewalThreshold' },
  client_user_agent: s('clientUserAgent'), k8s_auth_role_name: s('k8sRole'),
  k8s_service_account_token_path: s('k8sTokenPath'),
  k8s_service_account_token: s('k8sToken'), k8s_service_mount_path: s('k8sMount'),
  retry: block('retry', retryKeys), ssl: block('ssl', sslKeys),
  transport: block('transport', transportKeys),
}

const nomadKeys: Schema = {
  address: s('address'), namespace: s('namespace'), token: s('token'),
  auth_username: s('authUsername'), auth_password: s('authPassword'),
  enabled: b('enabled'), ssl: block('ssl', sslKeys), retry: block('retry', retryKeys),
  transport: block('transport', transportKeys),
}

const topKeys: Schema = {
  // The old form `consul = "host:port"` still names the address.
  consul: { t: 'block', to: 'consul', keys: consulKeys, scalar: 'address' },
  wait: { t: 'wait', to: 'wait' },
  exec: block('exec', execKeys),
  deduplicate: block('dedup', {
    enabled: b('enabled'), prefix: s('prefix'), ttl: d('ttlMs'),
    max_stale: d('maxStaleMs'), block_query_wait: d('blockQueryWaitMs'),
  }),
  syslog: block('syslog', { enabled: b('enabled'), facility: s('facility'),
    name: s('name') }),
  log_file: block('logFile', {
    path: s('path'), log_rotate_bytes: i('rotateBytes'),
    log_rotate_duration: d('rotateDurationMs'), log_rotate_max_files: i('rotateMaxFiles'),
  }),
  default_delimiters: block('defaultDelimiters', { left: s('left'), right: s('right') }),
  log_level: s('logLevel'), log_format: s('logFormat'), pid_file: s('pidFile'),
  status_file: s('statusFile'),
  reload_signal: { t: 'signal', to: 'reloadSignal' },
  kill_signal: { t: 'signal', to: 'killSignal' },
  max_stale: d('maxStaleMs'), block_query_wait: d('blockQueryWaitMs'),
  once: b('once'), template_error_fatal: b('templateErrorFatal'),
  err_on_failed_lookup: b('errOnFailedLookup'),
  vault: block('_vault', vaultKeys), nomad: block('_nomad', nomadKeys),
}

type Obj = Record<string, unknown>

/** Collects problems and positions while one file is decoded. */
class Decoder {
  readonly problems: ConfigProblem[] = []

  /** Records a problem at a key path. */
  problem(keyPath: string, message: string, at: Position): void {
    this.problems.push({ keyPath, message, at })
  }

  /** Reads every entry of an object against a schema into `out`. */
  readObject(node: ObjectNode, keys: Schema, path: string, out: Obj, pos: Obj,
    posPrefix: string): void {
    for (const e of node.entries) {
      const keyPath = path === '' ? e.key : `${path}.${e.key}`
      // Own keys only: "__proto__" or "constructor" are unknown keys here.
      const spec = Object.hasOwn(keys, e.key) ? keys[e.key] : undefined
      if (!spec) {
        this.problem(keyPath, unknownKeyMessage(e.key, Object.keys(keys)), e.at)
        continue
      }
      const posKey = posPrefix === '' ? e.key : `${posPrefix}.${e.key}`
      pos[posKey] = e.at
      if (spec.t === 'block' && spec.scalar !== undefined && e.value.kind === 'string') {
        setPath(child(out, spec.to), spec.scalar, e.value.value)
        pos[`${posKey}.${spec.scalar}`] = e.at
        continue
      }
      if (spec.t === 'wait' && e.value.kind !== 'string') {
        for (const obj of this.objects(e.value, keyPath, 'a wait "min:max" or a block')) {
          this.readObject(obj, waitKeys, keyPath, child(out, spec.to), pos, posKey)
        }
        continue
      }
      if (spec.t === 'block') {
        for (const obj of this.objects(e.value, keyPath)) {
          const target = spec.to === '' ? out : child(out, spec.to)
          this.readObject(obj, spec.keys, keyPath, target, pos, posKey)
        }
        continue
      }
      try {
        setPath(out, spec.to, this.convert(spec, e.value))
      } catch (err) {
        if (!(err instanceof ValueError)) throw err
        this.problem(keyPath, err.message, e.value.at)
      }
    }
  }

  /** A block value: an object, or a list of objects (JSON form). */
  objects(value: Node, keyPath: string, expected = 'a block'): ObjectNode[] {
    if (value.kind === 'object') return [value]
    if (value.kind === 'list' && value.items.every((v) => v.kind === 'object')) {
      return value.items as ObjectNode[]
    }
    this.problem(keyPath, `expected ${expected}, found ${describe(value)}`, value.at)
    return []
  }

  /** Converts one scalar value according to its spec. */
  convert(spec: Spec, v: Node): unknown {
    switch (spec.t) {
      case 'string': return want(v, 'string', 'a string')
      case 'bool': return want(v, 'bool', 'a bool')
      case 'int': return wantInt(v)
      case 'float':
        if (v.kind !== 'number') throw typeError('a number', v)
        return v.value
      case 'duration': return toDuration(v)
      case 'signal': return parseSignal(want(v, 'string', 'a signal name'))
      case 'perms':
        if (v.kind === 'string') return parsePermsString(v.value)
        return checkPerms(wantInt(v))
      case 'idString':
        if (v.kind === 'number' && v.isInt && v.value >= 0) return String(v.value)
        return want(v, 'string', 'a name or numeric id')
      case 'strings': return toStrings(v)
      case 'command':
        if (v.kind === 'string') return toCommand(v.value)
        return toCommand(toStrings(v))
      case 'wait': return toWait(v)
      case 'block': throw new Error('unreachable: blocks are read by readObject')
    }
  }
}

/** Says what a node is, for type errors. */
function describe(v: Node): string {
  switch (v.kind) {
    case 'string': return `string ${JSON.stringify(v.value)}`
    case 'number': return `number ${v.value}`
    case 'bool': return `bool ${v.value}`
    case 'null': return 'null'
    case 'list': return 'a list'
    case 'object': return 'a block'
  }
}

function typeError(expected: string, v: Node): ValueError {
  return new ValueError(`expected ${expected}, found ${describe(v)}`)
}

function want(v: Node, kind: 'string', expected: string): string
function want(v: Node, kind: 'bool', expected: string): boolean
function want(v: Node, kind: 'string' | 'bool', expected: string): string | boolean {
  if (v.kind !== kind || (v.kind !== 'string' && v.kind !== 'bool')) {
    throw typeError(expected, v)
  }
  return v.value
}

function wantInt(v: Node): number {
  if (v.kind !== 'number' || !v.isInt) throw typeError('an integer', v)
  return v.value
}

/** A duration: a Go duration string, or an integer of nanoseconds. */
function toDuration(v: Node): number {
  let ms: number
  if (v.kind === 'string') ms = parseDuration(v.value)
  else if (v.kind === 'number' && v.isInt) ms = v.value / 1e6
  else throw typeError('a duration such as "5s"', v)
  if (ms < 0) throw new ValueError('duration must not be negative')
  return ms
}

/** A list of strings; a single string is split on commas, as Go's hook. */
function toStrings(v: Node): string[] {
  if (v.kind === 'string') return v.value === '' ? [] : v.value.split(',')
  if (v.kind !== 'list') throw typeError('a list of strings', v)
  return v.items.map((item) => {
    if (item.kind !== 'string') throw typeError('a list of strings', item)
    return item.value
  })
}

/** A wait written as "min(:max)"; blocks { min max } go through waitKeys. */
function toWait(v: Node): Obj {
  return parseWaitString(want(v, 'string', 'a wait "min:max" or a block'))
}

/** "unknown key", with a suggestion when a known key is one typo away. */
function unknownKeyMessage(key: string, known: string[]): string {
  let best = ''
  let bestDist = 3
  for (const k of known) {
    if (k.startsWith('_')) continue
    const dist = editDistance(key, k)
    if (dist < bestDist) {
      best = k
      bestDist = dist
    }
  }
  return best === '' ? 'unknown key' : `unknown key (did you mean "${best}"?)`
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let x = 1; x <= a.length; x++) {
    const cur = [x]
    for (let y = 1; y <= b.length; y++) {
      const cost = a[x - 1] === b[y - 1] ? 0 : 1
      cur[y] = Math.min(prev[y]! + 1, cur[y - 1]! + 1, prev[y - 1]! + cost)
    }
    prev = cur
  }
  return prev[b.length]!
}

function child(o: Obj, key: string): Obj {
  let cur = o
  for (const part of key.split('.')) {
    const next = cur[part]
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      cur = next as Obj
    } else {
      const made: Obj = {}
      cur[part] = made
      cur = made
    }
  }
  return cur
}

function setPath(o: Obj, key: string, value: unknown): void {
  const dot = key.lastIndexOf('.')
  const target = dot < 0 ? o : child(o, key.slice(0, dot))
  const field = dot < 0 ? key : key.slice(dot + 1)
  // A wait block read twice (two `wait {}`) keeps the earlier fields.
  if (field === 'wait' && typeof value === 'object' && value !== null) {
    target[field] = { ...(target[field] as Obj | undefined), ...(value as Obj) }
    return
  }
  // Aliases (function_blacklist and function_denylist, whitelist and
  // allowlist) fill one list; the reference combines them.
  const prev = target[field]
  if (Array.isArray(prev) && Array.isArray(value)) {
    target[field] = [...prev, ...value]
    return
  }
  target[field] = value
}

/** Decodes a parsed file into a layer; problems are returned, not thrown. */
export function decodeConfig(root: ObjectNode): {
  layer: PartialConfig
  problems: ConfigProblem[]
} {
  const dec = new Decoder()
  const out: Obj = {}
  const positions: Record<string, Position> = {}
  const templates: PartialTemplate[] = []
  const rest: ObjectNode = { ...root, entries: [] }
  for (const e of root.entries) {
    if (e.key !== 'template') {
      rest.entries.push(e)
      continue
    }
    for (const obj of dec.objects(e.value, 'template')) {
      const idx = templates.length
      const t: Obj = {}
      const pos: Record<string, Position> = {}
      dec.readObject(obj, templateKeys, `template[${idx}]`, t, pos, '')
      // As in the reference, a template's exec block wins over command.
      if (t._execCommand !== undefined) t.command = t._execCommand
      if (t._execTimeoutMs !== undefined) t.commandTimeoutMs = t._execTimeoutMs
      for (const k of Object.keys(t)) if (k.startsWith('_')) delete t[k]
      templates.push({ ...(t as Omit<PartialTemplate, 'pos'>), origin: obj.at, pos })
    }
  }
  dec.readObject(rest, topKeys, '', out, positions, '')
  const layer = out as unknown as PartialConfig
  layer.positions = positions
  if (templates.length > 0) layer.templates = templates
  const unsupported: PartialConfig['unsupported'] = []
  for (const name of ['vault', 'nomad'] as const) {
    if (out[`_${name}`] !== undefined && positions[name]) {
      unsupported.push({ name, at: positions[name] })
    }
    delete out[`_${name}`]
  }
  if (unsupported.length > 0) layer.unsupported = unsupported
  // Templates are read first; report in file order all the same.
  const line = (p: ConfigProblem) => (p.at?.line ?? 0) * 1e6 + (p.at?.column ?? 0)
  const problems = [...dec.problems].sort((a, b) => line(a) - line(b))
  return { layer, problems }
}
