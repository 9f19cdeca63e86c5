/**
 * The Consul HTTP client (a library: no logging, no knowledge of ctmpl).
 *
 *   const consul = new ConsulClient({ address: '127.0.0.1:8500',
 *     token, tokenFile, namespace, ssl, auth: { username, password },
 *     tls: { caFile, caPath, certFile, keyFile, serverName, verify },
 *     maxConnections })
 *   const { body, meta } = await consul.query('/v1/health/service/web',
 *     { index, waitMs: 60_000, stale: true, params: [['passing', '1']],
 *       signal })
 *   await consul.close()
 *
 * Mapping from the finalized `consul {}` config: address → address,
 * ssl.enabled → ssl, ssl.{caCert,caPath,cert,key,serverName,verify} → tls,
 * auth.enabled → auth, transport.maxConnsPerHost (0 = none) →
 * maxConnections, transport.idleConnTimeoutMs → keepAliveTimeoutMs,
 * transport.dialTimeoutMs → connectTimeoutMs. A non-200 answer throws a
 * ConsulError (code ECONSUL_STATUS, with status, body, path); a 404 with
 * `notFoundOk` gives `body: null`. Retries live in src/watch, not here.
 */
export { ConsulClient, buildQuery } from './client.ts'
export type { ConsulReader, QueryMeta, QueryOptions, QueryResponse } from './client.ts'
export { ConsulError, statusError } from './errors.ts'
export type { ConsulErrorCode, ConsulErrorFacts } from './errors.ts'
export { encodeQuery, pathEscape, queryEscape } from './escape.ts'
export type { QueryPair } from './escape.ts'
export { clientDefaults, loadTls, parseAddress } from './options.ts'
export type { ConsulClientOptions, Endpoint, TlsMaterial, TlsOptions } from './options.ts'
export { TokenSource } from './token.ts'
