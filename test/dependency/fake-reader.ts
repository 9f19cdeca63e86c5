/**
 * A hand-written ConsulReader: answers each path from a table and records
 * every call, so dependency and view tests need no server.
 */
import type { ConsulReader, QueryOptions, QueryResponse } from '../../src/consul/index.ts'

/** An answer: a body with an index, an error, or a function of the call. */
export type Answer =
  | { body: unknown; index?: number; lastContactMs?: number }
  | Error
  | ((q: QueryOptions) => Promise<QueryResponse<unknown>> | QueryResponse<unknown>)

/** One recorded call. */
export interface Call { path: string; q: QueryOptions }

/** The fake reader. */
export class FakeReader implements ConsulReader {
  readonly calls: Call[] = []

  constructor(public answers: Record<string, Answer> = {}) {}

  /** Answers from the table; unknown paths are a test bug. */
  async query<T>(path: string, q: QueryOptions = {}): Promise<QueryResponse<T>> {
    this.calls.push({ path, q })
    const a = this.answers[path]
    if (a === undefined) throw new Error(`fake reader: no answer for ${path}`)
    if (a instanceof Error) throw a
    if (typeof a === 'function') return (await a(q)) as QueryResponse<T>
    return {
      body: a.body as T,
      meta: { status: 200, index: a.index ?? 1, lastContactMs: a.lastContactMs ?? 0,
        knownLeader: true },
    }
  }
}

/** Fetch options for a first (non-blocking) call. */
export function firstFetch(state: Record<string, unknown> = {}) {
  return { index: 0, waitMs: 60_000, allowStale: true,
    signal: new AbortController().signal, state }
}
