/**
 * A bare node:http server on 127.0.0.1, port 0, for client and view tests:
 * each request is recorded and answered by the test's handler.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as the fake server saw it. */
export interface SeenRequest {
  method: string
  path: string
  query: URLSearchParams
  rawQuery: string
  headers: IncomingMessage['headers']
  at: number
}

/** Handles one request; may answer later (a blocking query). */
export type Handler = (req: SeenRequest, res: ServerResponse) => void

/** A running fake agent. */
export interface FakeServer {
  address: string // "127.0.0.1:PORT"
  seen: SeenRequest[]
  handler: Handler
  close(): Promise<void>
}

/** Starts a fake agent; `close()` also ends any request still open.
 * `port` re-opens a port an earlier fake had (an agent coming back). */
export async function startFake(handler: Handler, port = 0): Promise<FakeServer> {
  const fake: FakeServer = {
    address: '', seen: [], handler,
    close: async () => {},
  }
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const raw = (req.url ?? '').split('?')[1] ?? ''
    const seen: SeenRequest = {
      method: req.method ?? '', path: decodeURIComponent(url.pathname),
      query: url.searchParams, rawQuery: raw, headers: req.headers, at: Date.now(),
    }
    fake.seen.push(seen)
    fake.handler(seen, res)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  fake.address = `127.0.0.1:${(server.address() as AddressInfo).port}`
  fake.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
  return fake
}

/** Answers with JSON and Consul's index headers. */
export function sendJSON(res: ServerResponse, body: unknown, index?: number,
  extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extra }
  if (index !== undefined) headers['x-consul-index'] = String(index)
  res.writeHead(200, headers)
  res.end(JSON.stringify(body))
}
