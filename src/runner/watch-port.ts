/**
 * The runner's side of the watch layer: one Consul client and one Watcher
 * per runner lifetime, with the callbacks the runner sets after it is
 * built. Also the CONSUL_HTTP_* variables commands and exec children get.
 */
import type { Config } from '../config/types.ts'
import { ConsulClient } from '../consul/index.ts'
import type { ConsulClientOptions } from '../consul/index.ts'
import type { Dependency } from '../dependency/index.ts'
import type { Logger } from '../shared/logger.ts'
import { Recorder, Watcher } from '../watch/index.ts'
import type { Store } from '../watch/index.ts'

/** What the runner needs from the watch layer. */
export interface WatchPort {
  readonly store: Store
  /** Starts a view for dep unless one runs already. */
  watch(dep: Dependency): void
  /** Stops the view of a key no template uses any more. */
  unwatch(key: string): void
  /** A new recorder for one template execution. */
  recorder(): Recorder
  onData(cb: (key: string) => void): void
  /** `fatal`: retries are exhausted and the daemon should exit. */
  onError(cb: (err: Error, fatal: boolean) => void): void
  stop(): Promise<void>
}

/** Builds the Consul client options from the configuration. */
export function clientOptions(config: Config): ConsulClientOptions {
  const c = config.consul
  const opts: ConsulClientOptions = {
    address: c.address,
    ssl: c.ssl.enabled,
    token: c.token || undefined,
    tokenFile: c.tokenFile || undefined,
    namespace: c.namespace || undefined,
    keepAliveTimeoutMs: c.transport.idleConnTimeoutMs,
    connectTimeoutMs: c.transport.dialTimeoutMs,
  }
  if (c.transport.maxConnsPerHost > 0) opts.maxConnections = c.transport.maxConnsPerHost
  if (c.auth.enabled) opts.auth = { username: c.auth.username, password: c.auth.password }
  if (c.ssl.enabled) {
    opts.tls = {
      caFile: c.ssl.caCert || undefined,
      caPath: c.ssl.caPath || undefined,
      certFile: c.ssl.cert || undefined,
      keyFile: c.ssl.key || undefined,
      serverName: c.ssl.serverName || undefined,
      verify: c.ssl.verify,
    }
  }
  return opts
}

/** Creates the watch layer for one runner lifetime. */
export function createWatch(config: Config, once: boolean, logger: Logger): WatchPort {
  const consul = new ConsulClient(clientOptions(config))
  let dataCb: (key: string) => void = () => {}
  let errorCb: (err: Error, fatal: boolean) => void = () => {}
  const watcher = new Watcher({
    context: { consul, logger },
    logger,
    blockQueryWaitMs: config.blockQueryWaitMs,
    maxStaleMs: config.maxStaleMs,
    once,
    errOnFailedLookup: config.errOnFailedLookup,
    retry: config.consul.retry,
    onData: (dep) => dataCb(dep.key),
    onError: (err) => errorCb(err, true),
    onServerError: (err) => errorCb(err, false),
  })
  return {
    store: watcher.store,
    watch: (dep) => { watcher.add(dep) },
    unwatch: (key) => { watcher.remove(key) },
    recorder: () => new Recorder(watcher.store),
    onData: (cb) => { dataCb = cb },
    onError: (cb) => { errorCb = cb },
    stop: async () => {
      await watcher.stop()
      await consul.close()
    },
  }
}

/** The CONSUL_HTTP_* variables a command or exec child gets, so that it
 * can reach the same Consul as ctmpl. */
export function consulEnv(config: Config): Record<string, string> {
  const c = config.consul
  const env: Record<string, string> = { CONSUL_HTTP_ADDR: c.address }
  if (c.token) env.CONSUL_HTTP_TOKEN = c.token
  if (c.tokenFile) env.CONSUL_HTTP_TOKEN_FILE = c.tokenFile
  if (c.auth.enabled) env.CONSUL_HTTP_AUTH = `${c.auth.username}:${c.auth.password}`
  env.CONSUL_HTTP_SSL = String(c.ssl.enabled)
  env.CONSUL_HTTP_SSL_VERIFY = String(c.ssl.verify)
  if (c.ssl.caCert) env.CONSUL_CACERT = c.ssl.caCert
  if (c.ssl.caPath) env.CONSUL_CAPATH = c.ssl.caPath
  if (c.ssl.cert) env.CONSUL_CLIENT_CERT = c.ssl.cert
  if (c.ssl.key) env.CONSUL_CLIENT_KEY = c.ssl.key
  if (c.ssl.serverName) env.CONSUL_TLS_SERVER_NAME = c.ssl.serverName
  return env
}
