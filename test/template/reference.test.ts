// Checks the engine against what the reference consul-template printed for
// every case in reference-cases.ts (fixtures/reference-results.json), and,
// when the reference binary is installed, that the fixtures are current.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { referenceCases } from './reference-cases.ts'
import { referenceFuncs, render } from './helpers.ts'
import { referenceBinary, runAll } from '../../scripts/template-reference.ts'
import type { ReferenceResult } from '../../scripts/template-reference.ts'

const here = join(fileURLToPath(import.meta.url), '..')
const results = JSON.parse(
  readFileSync(join(here, 'fixtures', 'reference-results.json'), 'utf8'),
) as ReferenceResult[]

test('fixtures cover every case', () => {
  assert.deepEqual(results.map((r) => r.src), referenceCases.map((c) => c.src))
})

// Where ctmpl knowingly differs from the reference: what we print instead,
// and why. Each row must still be what the reference printed (so a fixed
// reference shows up) and what we print (so a change shows up).
const deviations: Record<string, { ours: { out?: string; err?: string }; why: string }> = {
  'string escapes': {
    ours: { out: '4 4 3' },
    why: 'JS strings hold text, not bytes: "\\xff" alone is not UTF-8 and becomes U+FFFD',
  },
}

for (const r of results) {
  test(`reference: ${r.name}`, () => {
    // consul-template names its templates "" and executes with
    // missingkey=zero and nil data.
    const got = render(r.src, undefined, {
      funcs: referenceFuncs,
      missingKey: 'zero',
      leftDelim: r.delims?.[0],
      rightDelim: r.delims?.[1],
    }, '')
    const want = r.err !== undefined ? { err: r.err } : { out: r.out }
    const dev = deviations[r.name]
    if (dev !== undefined) {
      assert.notDeepEqual(want, dev.ours, 'the reference now agrees; drop the deviation')
      assert.deepEqual(got, dev.ours, dev.why)
      return
    }
    assert.deepEqual(got, want, `src ${JSON.stringify(r.src)}`)
  })
}

const bin = referenceBinary()
test('fixtures match the live reference', { skip: bin === null }, async () => {
  const live = await runAll(bin!, referenceCases)
  assert.deepEqual(live, results)
})
if (bin === null) {
  console.warn('SKIPPED: reference consul-template not installed ' +
    '(set CTMPL_REFERENCE); fixtures were not re-checked live')
}
