// /v1/agent/* and /v1/status/*: local registration, TTL checks,
// maintenance mode and the agent's description of itself.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { sleep, useAgent } from './helpers.ts'

const ctx = useAgent({ nodeName: 'agent-node' })
const { get, put } = ctx

async function checks(service: string): Promise<Record<string, any>> {
  const [e] = (await get(`/v1/health/service/${service}`)).json()
  return Object.fromEntries(e.Checks.map((c: any) => [c.CheckID, c]))
}

describe('agent', () => {
  test('self and members describe the node', async () => {
    const self = (await get('/v1/agent/self')).json()
    assert.equal(self.Config.NodeName, 'agent-node')
    assert.equal(self.Config.Datacenter, 'dc1')
    assert.equal(typeof self.Config.Version, 'string')
    const members = (await get('/v1/agent/members')).json()
    assert.equal(members[0].Name, 'agent-node')
    assert.equal((await get('/v1/agent/self')).headers['x-consul-index'], undefined)
  })

  test('service/register answers 200 with an empty body', async () => {
    const r = await put('/v1/agent/service/register', {
      Name: 'web', ID: 'web-1', Port: 8080, Tags: ['http'],
      Check: { TTL: '500ms' },
    })
    assert.equal(r.status, 200)
    assert.equal(r.text, '')
    assert.equal(r.headers['content-type'], undefined)
    const c = (await checks('web'))['service:web-1']
    assert.equal(c.Status, 'critical')
    assert.equal(c.Name, "Service 'web' check")
    assert.equal(c.Type, 'ttl')
  })

  test('check/pass sets passing with the note; the TTL lapses to critical', async () => {
    assert.equal((await put('/v1/agent/check/pass/service:web-1?note=ok')).status, 200)
    let c = (await checks('web'))['service:web-1']
    assert.equal(c.Status, 'passing')
    assert.equal(c.Output, 'ok')
    await sleep(700)
    c = (await checks('web'))['service:web-1']
    assert.equal(c.Status, 'critical')
    assert.match(c.Output, /^TTL expired/)
    await put('/v1/agent/check/warn/service:web-1')
    assert.equal((await checks('web'))['service:web-1'].Status, 'warning')
    await put('/v1/agent/check/fail/service:web-1?note=bad')
    assert.equal((await checks('web'))['service:web-1'].Output, 'bad')
  })

  test('check/update takes a JSON status and output', async () => {
    const r = await put('/v1/agent/check/update/service:web-1',
      { Status: 'passing', Output: 'fine' })
    assert.equal(r.status, 200)
    assert.equal((await checks('web'))['service:web-1'].Output, 'fine')
    const bad = await put('/v1/agent/check/update/service:web-1', { Status: 'meh' })
    assert.equal(bad.status, 400)
    assert.equal(bad.text, 'Invalid check status: "meh"')
  })

  test('several checks get numbered IDs; a given status is kept', async () => {
    // From here on web-1's TTL is long, so later tests cannot race its expiry.
    await put('/v1/agent/service/register', {
      Name: 'web', ID: 'web-1', Port: 8080, Tags: ['http'], Check: { TTL: '1h' },
    })
    assert.equal((await checks('web'))['service:web-1'].Status, 'passing')
    await put('/v1/agent/service/register', {
      Name: 'api', Port: 9000,
      Checks: [{ TTL: '1h', Status: 'passing' }, { TTL: '1h', Status: 'warning' }],
    })
    const c = await checks('api')
    assert.equal(c['service:api:1'].Status, 'passing')
    assert.equal(c['service:api:2'].Status, 'warning')
  })

  test('unknown checks are 404; non-TTL checks are 500; GET is 405', async () => {
    const r = await put('/v1/agent/check/pass/nope')
    assert.equal(r.status, 404)
    assert.equal(r.text,
      'Unknown check ID "nope". Ensure that the check ID is passed, not the check name.')
    await put('/v1/agent/check/register', { Name: 'disk', Status: 'passing' })
    const nonTTL = await put('/v1/agent/check/pass/disk')
    assert.equal(nonTTL.status, 500)
    const get405 = await get('/v1/agent/check/pass/disk')
    assert.equal(get405.status, 405)
    assert.equal(get405.headers['allow'], 'OPTIONS,PUT')
  })

  test('check/register validates its body', async () => {
    const noName = await put('/v1/agent/check/register', { TTL: '10s' })
    assert.equal(noName.status, 400)
    assert.equal(noName.text, 'Missing check name')
    const badSvc = await put('/v1/agent/check/register',
      { Name: 'x', ServiceID: 'ghost' })
    assert.equal(badSvc.status, 400)
    const badStatus = await put('/v1/agent/check/register', { Name: 'x', Status: 'ok' })
    assert.equal(badStatus.status, 400)
    const ok = await put('/v1/agent/check/register',
      { Name: 'mem', ID: 'mem', ServiceID: 'web-1', TTL: '1h' })
    assert.equal(ok.status, 200)
    assert.equal((await checks('web'))['mem'].ServiceID, 'web-1')
    assert.equal((await put('/v1/agent/check/deregister/mem')).status, 200)
    assert.equal((await put('/v1/agent/check/deregister/mem')).status, 404)
  })

  test('service maintenance adds a critical check and removes it again', async () => {
    await put('/v1/agent/check/pass/service:web-1')
    const on = await put('/v1/agent/service/maintenance/web-1?enable=true&reason=deploy')
    assert.equal(on.status, 200)
    const m = (await checks('web'))['_service_maintenance:web-1']
    assert.equal(m.Status, 'critical')
    assert.equal(m.Notes, 'deploy')
    assert.equal(m.Name, 'Service Maintenance Mode')
    assert.deepEqual((await get('/v1/health/service/web?passing')).json(), [])
    await put('/v1/agent/service/maintenance/web-1?enable=false')
    assert.equal((await checks('web'))['_service_maintenance:web-1'], undefined)
    assert.equal((await get('/v1/health/service/web?passing')).json().length, 1)
  })

  test('maintenance needs enable and a known service', async () => {
    const missing = await put('/v1/agent/service/maintenance/web-1')
    assert.equal(missing.status, 400)
    assert.equal(missing.text, 'Missing value for enable')
    const bad = await put('/v1/agent/service/maintenance/web-1?enable=maybe')
    assert.equal(bad.status, 400)
    const unknown = await put('/v1/agent/service/maintenance/ghost?enable=true')
    assert.equal(unknown.status, 404)
  })

  test('node maintenance takes every local instance out', async () => {
    await put('/v1/agent/maintenance?enable=true')
    const c = (await checks('web'))['_node_maintenance']
    assert.equal(c.Status, 'critical')
    assert.match(c.Notes, /^Maintenance mode is enabled for this node/)
    await put('/v1/agent/maintenance?enable=false')
    assert.equal((await checks('web'))['_node_maintenance'], undefined)
  })

  test('agent/services lists local services by ID', async () => {
    const s = (await get('/v1/agent/services')).json()
    assert.deepEqual(Object.keys(s), ['api', 'web-1'])
    assert.equal(s['web-1'].Service, 'web')
    assert.equal(s['web-1'].Port, 8080)
  })

  test('deregister removes the service; an unknown ID is 404', async () => {
    assert.equal((await put('/v1/agent/service/deregister/api')).status, 200)
    assert.equal((await get('/v1/health/service/api')).text, '[]')
    const r = await put('/v1/agent/service/deregister/api')
    assert.equal(r.status, 404)
    assert.equal(r.text, 'Unknown service ID "api". '
      + 'Ensure that the service ID is passed, not the service name.')
  })

  test('register validates the definition', async () => {
    const noName = await put('/v1/agent/service/register', { Port: 1 })
    assert.equal(noName.status, 400)
    assert.equal(noName.text, 'Missing service name')
    const anyAddr = await put('/v1/agent/service/register',
      { Name: 'x', Address: '0.0.0.0' })
    assert.equal(anyAddr.status, 400)
    const snake = await put('/v1/agent/service/register',
      { name: 'snake', enable_tag_override: true, port: 7 })
    assert.equal(snake.status, 200)
    const [e] = (await get('/v1/catalog/service/snake')).json()
    assert.equal(e.ServiceEnableTagOverride, true)
    assert.equal(e.ServicePort, 7)
  })

  test('the store helper runs TTL checks on the agent node too', async () => {
    const { agent } = ctx
    agent().store.registerService({ Name: 'ttl-svc', Port: 1,
      Checks: [{ CheckID: 'ttl-svc-check', TTL: '500ms', Status: 'passing' }] })
    assert.equal((await checks('ttl-svc'))['ttl-svc-check'].Status, 'passing')
    await sleep(700)
    assert.equal((await checks('ttl-svc'))['ttl-svc-check'].Status, 'critical')
  })

  test('status/leader and status/peers', async () => {
    const l = await get('/v1/status/leader')
    assert.equal(l.json(), '127.0.0.1:8300')
    assert.equal(l.headers['x-consul-index'], undefined)
    assert.deepEqual((await get('/v1/status/peers')).json(), ['127.0.0.1:8300'])
  })
})
