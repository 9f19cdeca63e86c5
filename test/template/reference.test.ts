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

for (const r of results) {
  test(`reference: ${r.name}`, () => {
    // consul-template names its templates "" and executes with
    // missingkey=zero and nil data.
    const got = render(r.src, undefined, { funcs: referenceFuncs, missingKey: 'zero' }, '')
    const want = r.err !== undefined ? { err: r.err } : { out: r.out }
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
