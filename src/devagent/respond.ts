/**
 * Request context and response writers shared by every route: JSON in
 * Consul's two spellings (compact, or the 4-space `pretty` of a -dev
 * agent), plain-text errors, and the KV entry encoder that keeps uint64
 * flags exact.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { StateStore } from './state.ts'
import type { KVEntry } from './types.ts'

/** Everything a route handler needs for one request. */
export interface Ctx {
  req: IncomingMessage
  res: ServerResponse
  method: string
  /** The part of the path after the route prefix, URL-decoded. */
  rest: string
  query: URLSearchParams
  body: Buffer
  store: StateStore
  pretty: boolean
  /** Extra headers every response gets (ACL policy, …). */
  baseHeaders: Record<string, string>
}

/** A value the JSON writer prints as-is (already-encoded JSON text). */
export class RawJSON {
  constructor(readonly compact: string, readonly pretty: string) {}
}

/** Encodes a value as Consul would, honouring pretty mode. */
export function encodeJSON(value: unknown, pretty: boolean): string {
  if (value instanceof RawJSON) return pretty ? value.pretty : value.compact
  return pretty ? JSON.stringify(value, null, 4) + '\n' : JSON.stringify(value)
}

/** Writes a JSON body with the given status and headers. */
export function sendJSON(ctx: Ctx, status: number, value: unknown,
  headers: Record<string, string> = {}): void {
  send(ctx, status, encodeJSON(value, ctx.pretty), {
    'Content-Type': 'application/json', ...headers,
  })
}

/** Writes a plain-text body (Consul's error bodies are text). */
export function sendText(ctx: Ctx, status: number, text: string,
  headers: Record<string, string> = {}): void {
  send(ctx, status, text, { 'Content-Type': 'text/plain; charset=utf-8', ...headers })
}

/** Writes a body with explicit headers. */
export function send(ctx: Ctx, status: number, body: string | Buffer,
  headers: Record<string, string>): void {
  const { res } = ctx
  if (res.headersSent || res.destroyed) return
  const buf = typeof body === 'string' ? Buffer.from(body) : body
  res.writeHead(status, {
    ...ctx.baseHeaders, ...headers, 'Content-Length': String(buf.length),
  })
  res.end(buf)
}

/** Encodes KV entries; done by hand so 64-bit `Flags` print exactly. */
export function encodeKV(entries: KVEntry[]): RawJSON {
  const fields = (e: KVEntry, sp: string): string[] => {
    const f = [
      `"LockIndex":${sp}${e.LockIndex}`,
      `"Key":${sp}${JSON.stringify(e.Key)}`,
      `"Flags":${sp}${e.Flags}`,
      `"Value":${sp}${e.Value === null ? 'null' : JSON.stringify(e.Value)}`,
    ]
    if (e.Session !== undefined) f.push(`"Session":${sp}${JSON.stringify(e.Session)}`)
    f.push(`"CreateIndex":${sp}${e.CreateIndex}`, `"ModifyIndex":${sp}${e.ModifyIndex}`)
    return f
  }
  const compact = `[${entries.map((e) => `{${fields(e, '').join(',')}}`).join(',')}]`
  const pretty = entries.length === 0 ? '[]\n' : '[\n' + entries.map((e) =>
    `    {\n        ${fields(e, ' ').join(',\n        ')}\n    }`).join(',\n') + '\n]\n'
  return new RawJSON(compact, pretty)
}
