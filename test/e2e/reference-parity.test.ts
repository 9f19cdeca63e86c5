/**
 * Byte-identical output with the reference: the same templates rendered
 * from the same `ctmpl dev` catalog by ctmpl and by consul-template
 * v0.42.1. What the reference printed is committed under
 * test/e2e/parity/expected/, so ctmpl is checked against it on machines
 * without the reference too; where the reference is installed, it is run
 * live and must still print exactly the committed bytes.
 *
 * Regenerate the expected files with CTMPL_UPDATE_FIXTURES=1.
 */
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDevAgent } from '../../src/devagent/index.ts'
import { repoRoot, startCtmpl, tempDir } from '../helpers/process.ts'
import { referenceBinary } from '../../scripts/reference-binary.ts'

const parity = join(repoRoot, 'test', 'e2e', 'parity')
type Templates = Record<string, string>
const demoTemplates: Templates = {
  'catalog': join(parity, 'catalog.ctmpl'),
  'kv': join(parity, 'kv.ctmpl'),
  'nginx-proxy': join(repoRoot, 'examples', 'nginx', 'proxy.conf.ctmpl'),
}
// Proxy configurations in the patterns of consul-template's documentation
// (byTag, byPort, byKey, scratch, toJSON of services, printf padding),
// over a catalog whose ports sort differently as numbers and as text.
const realisticTemplates: Templates = {
  'nginx-upstreams': join(parity, 'nginx-upstreams.ctmpl'),
  'haproxy-backends': join(parity, 'haproxy-backends.ctmpl'),
  'grouping': join(parity, 'grouping.ctmpl'),
}
const env = { CTMPL_PROXY_LISTEN: '127.0.0.1:18080' }
const update = process.env.CTMPL_UPDATE_FIXTURES === '1'

function templateArgs(templates: Templates, dir: string, prefix: string): string[] {
  return Object.entries(templates).flatMap(([name, src]) =>
    ['-template', `${src}:${join(dir, `${prefix}-${name}.out`)}`])
}

function runReference(bin: string, args: string[]): Promise<{ code: number; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', (b: Buffer) => { err += b.toString() })
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, err })
    })
  })
}

test('ctmpl renders what the reference renders, byte for byte', (t) =>
  checkParity(t, join(repoRoot, 'examples', 'demo-catalog.json'), demoTemplates))

test('realistic proxy templates render as the reference renders them', (t) =>
  checkParity(t, join(parity, 'realistic-catalog.json'), realisticTemplates))

async function checkParity(t: TestContext, seed: string, templates: Templates): Promise<void> {
  const agent = await startDevAgent({ seed, nodeName: 'ctmpl-dev' })
  const tmp = tempDir()
  t.after(async () => {
    await agent.stop()
    tmp.remove()
  })
  const ours = startCtmpl(['-once', '-consul-addr', agent.addr,
    ...templateArgs(templates, tmp.path, 'ctmpl')], { env })
  assert.equal(await ours.exited, 0, ours.stderr())

  const bin = referenceBinary()
  const expectedDir = join(parity, 'expected')
  if (bin) {
    const ref = await runReference(bin, ['-once', '-consul-addr', agent.addr,
      ...templateArgs(templates, tmp.path, 'ref')])
    assert.equal(ref.code, 0, ref.err)
  } else {
    t.diagnostic('REFERENCE NOT INSTALLED: checking against committed fixtures only')
  }
  if (update) {
    assert.ok(bin, 'CTMPL_UPDATE_FIXTURES=1 needs the reference binary')
    mkdirSync(expectedDir, { recursive: true })
  }
  for (const name of Object.keys(templates)) {
    const got = readFileSync(join(tmp.path, `ctmpl-${name}.out`), 'utf8')
    const fixture = join(expectedDir, `${name}.out`)
    if (bin) {
      const ref = readFileSync(join(tmp.path, `ref-${name}.out`), 'utf8')
      if (update) writeFileSync(fixture, ref)
      assert.equal(ref, readFileSync(fixture, 'utf8'),
        `${name}: the reference no longer prints the committed fixture`)
    }
    assert.ok(existsSync(fixture), `missing fixture ${fixture}`)
    assert.equal(got, readFileSync(fixture, 'utf8'), `${name}: ctmpl differs from the reference`)
  }
}
