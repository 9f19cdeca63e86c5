/**
 * Options of the Consul HTTP client, their defaults, and the checks run on
 * them before any socket is opened. Files named by the options (CA, client
 * certificate, token file) are read here, so a bad path fails at start-up
 * with a message naming it, as consul-template does.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConsulError } from './errors.ts'

/** TLS towards the agent. Any field set implies https unless `enabled`
 * says otherwise at the caller's level. */
export interface TlsOptions {
  caFile?: string // PEM bundle of trusted CAs (replaces the system roots)
  caPath?: string // directory of PEM files of trusted CAs
  certFile?: string // client certificate (PEM)
  keyFile?: string // client key (PEM)
  serverName?: string // SNI and the name the certificate must carry
  verify?: boolean // default true; false accepts any certificate
}

/** Everything the client needs to reach one Consul agent. */
export interface ConsulClientOptions {
  /** "host:port", "http://host:port", "https://host:port" or
   * "unix:///path/to/socket", as CONSUL_HTTP_ADDR accepts. */
  address: string
  /** Use https for a bare "host:port" (ssl.enabled / CONSUL_HTTP_SSL). */
  ssl?: boolean
  /** ACL token sent as X-Consul-Token. */
  token?: string
  /** File holding the token; wins over `token` (as in Consul's client) and
   * is read again whenever it changes. */
  tokenFile?: string
  /** Enterprise namespace sent as `ns` on every request unless overridden. */
  namespace?: string
  /** HTTP basic authentication. */
  auth?: { username: string; password: string }
  tls?: TlsOptions
  /** Most connections open at once to the agent; undefined = no limit.
   * Consul refuses more than 200 per client IP by default, and every
   * long-poll holds one connection for its whole wait. */
  maxConnections?: number
  /** How long an idle connection is kept for reuse. */
  keepAliveTimeoutMs?: number
  /** Time allowed to open a connection (TCP and TLS). */
  connectTimeoutMs?: number
  /** Added to a blocking query's wait (and its wait/16 jitter) before the
   * request is declared lost. */
  timeoutMarginMs?: number
  /** Timeout of a request that does not block. */
  requestTimeoutMs?: number
  /** Ask for gzip bodies (the Go client does; it costs the agent CPU). */
  acceptGzip?: boolean
}

/** Defaults, each with its unit. */
export const clientDefaults = {
  keepAliveTimeoutMs: 5_000, // consul-template's transport idle timeout
  connectTimeoutMs: 30_000, // consul-template's dial timeout
  timeoutMarginMs: 15_000,
  requestTimeoutMs: 60_000,
  serverDefaultWaitMs: 300_000, // the agent's default_query_time
  serverMaxWaitMs: 600_000, // the agent's max_query_time
} as const

/** Where requests go: an origin, a path prefix (a reverse proxy's, from
 * "http://host/prefix"), and a socket path for unix sockets. */
export interface Endpoint {
  origin: string
  pathPrefix: string
  socketPath: string | undefined
}

/** Parses an agent address as Consul's Go client does. */
export function parseAddress(address: string, ssl = false): Endpoint {
  if (address === '') {
    throw new ConsulError('consul address is empty', 'ECONSUL_CONFIG')
  }
  const sep = address.indexOf('://')
  if (sep < 0) {
    return { origin: `${ssl ? 'https' : 'http'}://${address}`, pathPrefix: '',
      socketPath: undefined }
  }
  const scheme = address.slice(0, sep)
  const rest = address.slice(sep + 3)
  switch (scheme) {
    case 'http':
    case 'https': {
      // As the Go client: "http://" never turns TLS off once asked for.
      const secure = scheme === 'https' || ssl
      const slash = rest.indexOf('/')
      const host = slash < 0 ? rest : rest.slice(0, slash)
      const prefix = slash < 0 ? '' : rest.slice(slash).replace(/\/+$/, '')
      return { origin: `${secure ? 'https' : 'http'}://${host}`, pathPrefix: prefix,
        socketPath: undefined }
    }
    case 'unix':
      return { origin: 'http://localhost', pathPrefix: '', socketPath: rest }
    default:
      throw new ConsulError(`Unknown protocol scheme: ${scheme}`, 'ECONSUL_CONFIG')
  }
}

/** TLS material ready for a TLS connect call. */
export interface TlsMaterial {
  ca?: string[]
  cert?: string
  key?: string
  servername?: string
  rejectUnauthorized: boolean
}

/** Reads the CA, certificate and key files the options name. */
export function loadTls(tls: TlsOptions | undefined): TlsMaterial {
  const out: TlsMaterial = { rejectUnauthorized: tls?.verify ?? true }
  if (!tls) return out
  const ca: string[] = []
  if (tls.caFile) ca.push(readOption('ca_cert', tls.caFile))
  if (tls.caPath) ca.push(...readCaDir(tls.caPath))
  if (ca.length > 0) out.ca = ca
  if (tls.certFile || tls.keyFile) {
    if (!tls.certFile || !tls.keyFile) {
      throw new ConsulError(
        'ssl: a client certificate needs both cert and key', 'ECONSUL_CONFIG')
    }
    out.cert = readOption('cert', tls.certFile)
    out.key = readOption('key', tls.keyFile)
  }
  if (tls.serverName) out.servername = tls.serverName
  return out
}

function readCaDir(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir).sort()
  } catch (err) {
    throw new ConsulError(`Error loading CA Path ${dir}: ${(err as Error).message}`,
      'ECONSUL_CONFIG', {}, { cause: err })
  }
  const out: string[] = []
  for (const name of names) {
    const file = join(dir, name)
    if (!statSync(file).isFile()) continue
    const pem = readOption('ca_path', file)
    if (pem.includes('-----BEGIN CERTIFICATE-----')) out.push(pem)
  }
  if (out.length === 0) {
    throw new ConsulError(`Error loading CA Path ${dir}: no certificates found`,
      'ECONSUL_CONFIG')
  }
  return out
}

function readOption(what: string, file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConsulError(`Error loading ${what} file ${file}: ${(err as Error).message}`,
      'ECONSUL_CONFIG', {}, { cause: err })
  }
}

/** Checks numeric options; throws a message naming the bad one. */
export function validateOptions(o: ConsulClientOptions): void {
  const positive: (keyof ConsulClientOptions)[] = [
    'maxConnections', 'keepAliveTimeoutMs', 'connectTimeoutMs',
    'timeoutMarginMs', 'requestTimeoutMs',
  ]
  for (const name of positive) {
    const v = o[name]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 ||
      (name === 'maxConnections' && (!Number.isInteger(v) || v < 1))) {
      throw new ConsulError(`consul client: ${name} must be a positive number, ` +
        `got ${String(v)}`, 'ECONSUL_CONFIG')
    }
  }
}
