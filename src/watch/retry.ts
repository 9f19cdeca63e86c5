/**
 * Retry policy of a view: consul-template's `retry {}` semantics. Attempt n
 * (0-based) sleeps backoff × 2ⁿ, but once n passes ⌊log2(max/backoff)⌋ it
 * sleeps max_backoff; after `attempts` retries (0 = unlimited) the error is
 * fatal. With the defaults: 0.25, 0.5, 1, 2, 4, 8, 16, 32 s, then 60 s,
 * twelve retries in all.
 */

/** The `retry {}` options, durations in ms. */
export interface RetryOptions {
  enabled: boolean
  attempts: number // 0 = unlimited
  backoffMs: number
  maxBackoffMs: number // 0 = no cap
}

/** consul-template's defaults. */
export const defaultRetry: RetryOptions = {
  enabled: true,
  attempts: 12,
  backoffMs: 250,
  maxBackoffMs: 60_000,
}

/** Given the 0-based retry number, says whether to retry and after how
 * long (ms). */
export type RetryFn = (retry: number) => { retry: boolean; sleepMs: number }

/** Builds the retry function for the options. */
export function retryFunc(o: RetryOptions): RetryFn {
  return (n) => {
    if (!o.enabled) return { retry: false, sleepMs: 0 }
    if (o.attempts > 0 && n > o.attempts - 1) return { retry: false, sleepMs: 0 }
    if (o.maxBackoffMs > 0) {
      const tillMax = Math.trunc(Math.log2(o.maxBackoffMs / o.backoffMs))
      if (n > tillMax) return { retry: true, sleepMs: o.maxBackoffMs }
    }
    return { retry: true, sleepMs: 2 ** n * o.backoffMs }
  }
}

/** Formats ms as Go's time.Duration String() does ("250ms", "1.5s",
 * "1m0s"), for log lines the reference's users know. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s'
  if (ms < 1000) return `${trimFloat(ms)}ms`
  let rest = ms / 1000
  const h = Math.floor(rest / 3600)
  rest -= h * 3600
  const m = Math.floor(rest / 60)
  rest -= m * 60
  const s = `${trimFloat(Math.round(rest * 1e6) / 1e6)}s`
  if (h > 0) return `${h}h${m}m${s}`
  if (m > 0) return `${m}m${s}`
  return s
}

function trimFloat(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)))
}
