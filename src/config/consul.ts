/**
 * The `consul {}` block: consul-template's defaults and the finalize step
 * (merging is the generic rule in merge.ts).
 */
import type { ConfigProblem } from './ast.ts'
import { defined } from './defined.ts'
import type { ConsulConfig, PartialConfig } from './types.ts'

/** consul-template's defaults for the `consul {}` block. */
export const consulDefaults: ConsulConfig = {
  address: '127.0.0.1:8500',
  namespace: '',
  token: '',
  tokenFile: '',
  auth: { enabled: false, username: '', password: '' },
  ssl: {
    enabled: false, verify: true, cert: '', key: '', caCert: '', caPath: '', serverName: '',
  },
  retry: { enabled: true, attempts: 12, backoffMs: 250, maxBackoffMs: 60_000 },
  transport: {
    dialKeepAliveMs: 30_000,
    dialTimeoutMs: 30_000,
    disableKeepAlives: false,
    idleConnTimeoutMs: 5_000,
    maxIdleConns: 0,
    maxIdleConnsPerHost: 100,
    maxConnsPerHost: 0,
    tlsHandshakeTimeoutMs: 10_000,
  },
}

/** Fills the consul block from defaults; checks retry attempts. */
export function finalizeConsul(c: PartialConfig, problems: ConfigProblem[]): ConsulConfig {
  const d = consulDefaults
  const p = c.consul ?? {}
  const auth = { ...d.auth, ...defined(p.auth ?? {}) }
  // As in the reference, giving a username (or any ssl key) turns the
  // feature on unless `enabled = false` says otherwise.
  auth.enabled = p.auth?.enabled ?? (auth.username !== '' || auth.password !== '')
  const ssl = { ...d.ssl, ...defined(p.ssl ?? {}) }
  // The environment fills in TLS files without turning TLS on (the Consul
  // client reads CONSUL_CACERT & co. the same way): only keys set in a file
  // or flag enable the block.
  ssl.enabled = p.ssl?.enabled ?? Object.entries(c.positions).some(([k, at]) =>
    k.startsWith('consul.ssl.') && !at.file.startsWith('<env'))
  const retry = { ...d.retry, ...defined(p.retry ?? {}) }
  if (retry.attempts < 0) {
    problems.push({ keyPath: 'consul.retry.attempts', at: c.positions['consul.retry.attempts'],
      message: 'must not be negative' })
  }
  const address = p.address !== undefined && p.address !== '' ? p.address : d.address
  return {
    address,
    namespace: p.namespace ?? d.namespace,
    token: p.token ?? d.token,
    tokenFile: p.tokenFile ?? d.tokenFile,
    auth,
    ssl,
    retry,
    transport: { ...d.transport, ...defined(p.transport ?? {}) },
  }
}
