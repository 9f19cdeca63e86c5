/**
 * The requests ctmpl sends are the requests the reference sends: the same
 * templates' dependencies, watched by consul-template v0.42.1 and by our
 * watcher against the same recording agent, give the same request lines
 * (path, query string) and the same token header. Runs only where the
 * reference binary is installed.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { ConsulClient } from '../../src/consul/index.ts'
import { consulFuncs } from '../../src/functions/consul.ts'
import { silentLogger } from '../../src/shared/logger.ts'
import { Template } from '../../src/template/index.ts'
import { Recorder, Watcher } from '../../src/watch/index.ts'
import { sendJSON, startFake } from '../consul/fake-server.ts'
import type { FakeServer, SeenRequest } from '../consul/fake-server.ts'
import { until } from './fake-dependency.ts'

const reference = '/root/go/bin/consul-template'

const template = [
  '{{service "blue.web@dc2~n1"}}{{service "web|any"}}{{service "api" "passing,warning"}}',
  '{{connect "web"}}{{services}}{{services "@dc2"}}{{nodes "@dc2~_agent"}}',
  '{{node}}{{node "n1@dc2"}}{{key "a/b"}}{{keyExists "a/b"}}{{keyOrDefault "c" "d"}}',
  '{{ls "app"}}{{tree "/app/"}}{{datacenters}}',
].join('\n')

/** Answers first queries at once and holds blocking ones (index set). */
function answer(req: SeenRequest, res: ServerResponse): void {
  if (req.query.has('index')) return
  const p = req.path
  if (p === '/v1/agent/self') return sendJSON(res, { Config: { NodeName: 'n1' } })
  if (p === '/v1/catalog/datacenters') return sendJSON(res, ['dc1'])
  if (p === '/v1/catalog/services') return sendJSON(res, {}, 5)
  if (p.startsWith('/v1/catalog/node/')) return sendJSON(res, null, 5)
  if (p.startsWith('/v1/kv/')) {
    res.writeHead(404, { 'x-consul-index': '5' })
    return void res.end()
  }
  sendJSON(res, [], 5)
}

const lines = (seen: SeenRequest[]) => [...new Set(seen.map((s) =>
  `${s.method} ${s.path}?${s.rawQuery} token=${String(s.headers['x-consul-token'])}`))].sort()

describe('request lines match the reference', { skip: !existsSync(reference) }, () => {
  let fake: FakeServer
  const dir = mkdtempSync(join(tmpdir(), 'ctmpl-wire-'))

  before(async () => {
    fake = await startFake(answer)
  })

  after(async () => {
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('same requests, same order of parameters, same token header', async () => {
    const src = join(dir, 'all.tpl')
    writeFileSync(src, template)
    const child = spawn(reference, ['-consul-addr', fake.address, '-consul-token', 'tok',
      '-dry', '-log-level', 'err', '-template', `${src}:${join(dir, 'out')}`],
    { stdio: 'ignore' })
    try {
      // Settled when every view has its blocking query open.
      await until(() => fake.seen.filter((s) => s.query.has('index')).length >= 14, 10_000)
      await new Promise((r) => setTimeout(r, 300))
    } finally {
      child.kill('SIGKILL')
    }
    const want = lines(fake.seen)
    fake.seen.length = 0

    const consul = new ConsulClient({ address: fake.address, token: 'tok' })
    const watcher = new Watcher({ context: { consul }, logger: silentLogger })
    const funcs = consulFuncs(() => rec)
    let rec = new Recorder(watcher.store)
    const tpl = Template.parse('all', template, { funcs })
    try {
      for (let pass = 0; pass < 40; pass++) {
        rec = new Recorder(watcher.store)
        tpl.execute(undefined, { missingKey: 'zero' })
        for (const dep of rec.missing.values()) watcher.add(dep)
        await new Promise((r) => setTimeout(r, 25))
      }
      await until(() => lines(fake.seen).length >= want.length, 5_000)
      await new Promise((r) => setTimeout(r, 300))
    } finally {
      await watcher.stop()
      await consul.close()
    }
    if (process.env.CTMPL_SHOW_WIRE) console.log(want.join("\n"))
    assert.deepEqual(lines(fake.seen), want)
  })
})
