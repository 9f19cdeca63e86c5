// Shared helpers for the development agent's HTTP tests: one agent per
// test file, small request wrappers that keep status, headers and body.
import { request } from 'node:http'
import { after, before } from 'node:test'
import {
  startDevAgent, type DevAgent, type DevAgentOptions,
} from '../../src/devagent/index.ts'

/** A decoded response. */
export interface Res {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  body: Buffer
  json: () => any
  index: number
}

/** Sends one request on a fresh connection (no pooling, so tests that
 * count connections see exactly theirs). */
export function call(base: string, method: string, path: string,
  body?: string | Buffer, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks)
        const text = body.toString('utf8')
        resolve({
          status: res.statusCode ?? 0, headers: res.headers, text, body,
          json: () => JSON.parse(text),
          index: Number(res.headers['x-consul-index'] ?? NaN),
        })
      })
    })
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

/** Starts an agent for the current test file and returns accessors. */
export function useAgent(opts: DevAgentOptions = {}): {
  agent: () => DevAgent
  get: (path: string, headers?: Record<string, string>) => Promise<Res>
  put: (path: string, body?: unknown) => Promise<Res>
  del: (path: string) => Promise<Res>
} {
  let agent: DevAgent | undefined
  before(async () => { agent = await startDevAgent(opts) })
  after(async () => { await agent?.stop() })
  const a = (): DevAgent => agent!
  const enc = (b: unknown): string | Buffer | undefined =>
    b === undefined ? undefined
      : typeof b === 'string' || Buffer.isBuffer(b) ? b : JSON.stringify(b)
  return {
    agent: a,
    get: (path, headers) => call(a().url, 'GET', path, undefined, headers),
    put: (path, body) => call(a().url, 'PUT', path, enc(body)),
    del: (path) => call(a().url, 'DELETE', path),
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** Races a promise against a delay; resolves to 'pending' if it loses. */
export async function settledWithin<T>(p: Promise<T>, ms: number)
  : Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'pending'>((r) => { timer = setTimeout(() => r('pending'), ms) })
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}
