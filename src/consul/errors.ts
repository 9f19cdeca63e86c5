/**
 * The one error type of the Consul client. `code` says which kind of
 * failure it is; the facts (status, body, method, path) ride along as
 * fields. Messages never contain the ACL token: it travels in a header,
 * and the query string it is never put in is the only URL part quoted.
 */

/** What went wrong, as a stable code. */
export type ConsulErrorCode =
  | 'ECONSUL_STATUS' // the agent answered with a status other than expected
  | 'ECONSUL_TRANSPORT' // connecting, TLS, timeout or a dropped connection
  | 'ECONSUL_DECODE' // the body was not the JSON it should have been
  | 'ECONSUL_CONFIG' // the client options were unusable

/** Facts a ConsulError carries besides its message. */
export interface ConsulErrorFacts {
  method?: string
  path?: string // request path without the query string
  status?: number
  body?: string
}

/** An error from the Consul HTTP client. */
export class ConsulError extends Error {
  readonly code: ConsulErrorCode

  /** HTTP method of the request, when there was one. */
  readonly method: string | undefined

  /** Request path (no query string), when there was a request. */
  readonly path: string | undefined

  /** HTTP status for ECONSUL_STATUS. */
  readonly status: number | undefined

  /** Response body (trimmed) for ECONSUL_STATUS. */
  readonly body: string | undefined

  constructor(message: string, code: ConsulErrorCode,
    facts: ConsulErrorFacts = {}, options?: ErrorOptions) {
    super(message, options)
    this.code = code
    this.method = facts.method
    this.path = facts.path
    this.status = facts.status
    this.body = facts.body
  }
}
ConsulError.prototype.name = 'ConsulError'

/** Builds the error for an unexpected status, worded as Consul's Go client
 * words it ("Unexpected response code: 500 (body)") so logs read alike. */
export function statusError(method: string, path: string, status: number,
  body: string): ConsulError {
  const trimmed = body.trim()
  return new ConsulError(`Unexpected response code: ${status} (${trimmed})`,
    'ECONSUL_STATUS', { method, path, status, body: trimmed })
}
