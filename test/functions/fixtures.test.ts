// Every reference case in fixtures/*.json, rendered through ctmpl's engine
// with the helper functions; then a sample re-rendered live with the
// reference binary when it is installed (CTMPL_REFERENCE or ~/go/bin).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { helperFuncs } from '../../src/functions/index.ts'
import { Template } from '../../src/template/index.ts'
import type { FunctionCase } from './cases.ts'
import { renderWithReference } from '../../scripts/gen-function-fixtures.ts'
import { knownDifferences } from './differences.ts'
import { dataFuncs } from './data.ts'
import { referenceBinary } from '../../scripts/reference-binary.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const fixtureDir = join(here, 'fixtures')

interface Fixture extends FunctionCase { output?: string; error?: string }

function loadFixtures(): Array<[string, Fixture[]]> {
  return readdirSync(fixtureDir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const doc = JSON.parse(readFileSync(join(fixtureDir, f), 'utf8')) as { cases: Fixture[] }
    return [f.replace(/\.json$/, ''), doc.cases]
  })
}

type Render = (c: FunctionCase) => { output?: string; error?: string }

/** Renders a case as the runner does: the reference's template name is
 * "" and it executes with missingkey=zero. */
const render: Render = (c) => {
  let tpl: Template | undefined
  const funcs = { ...helperFuncs({ env: c.env ?? {}, template: () => tpl }), ...dataFuncs() }
  try {
    tpl = Template.parse('', c.template, { funcs })
    return { output: tpl.execute(null, { funcs, missingKey: 'zero' }) }
  } catch (err) {
    return { error: (err as Error).message }
  }
}

/** Compares what both programs say about an error: the function's own
 * message, or for other executor errors the text from the location on. */
export function errorCore(msg: string): string {
  // The reference's log line drops a message's final newlines.
  const text = msg.replace(/\n+$/, '')
  const at = text.indexOf('error calling ')
  if (at >= 0) return text.slice(at)
  // Other executor errors, argument types among them, must also agree on
  // where they happened.
  const loc = /template: [^:]*:\d+:\d+: executing "[^"]*" at <[\s\S]*$/.exec(text)
  if (loc) return loc[0]
  return text.replace(/^(execute|parse): /, '').replace(/^template: [^:]*:\d+(:\d+)?: /, '')
}

const fixtures = loadFixtures()
const total = fixtures.reduce((n, [, cs]) => n + cs.length, 0)

test(`fixtures hold at least 400 reference cases (${total})`, () => {
  assert.ok(total >= 400, `only ${total} cases`)
})

for (const [group, cases] of fixtures) {
  test(`reference cases: ${group}`, () => {
    const failures: string[] = []
    for (const c of cases) {
      if (knownDifferences.has(c.template)) continue
      const got = render(c)
      if (c.error !== undefined) {
        if (got.error === undefined) {
          failures.push(`${JSON.stringify(c.template)}\n  want error ${JSON.stringify(c.error)}` +
            `\n  got output ${JSON.stringify(got.output)}`)
        } else if (errorCore(got.error) !== errorCore(c.error)) {
          failures.push(`${JSON.stringify(c.template)}\n  want error ` +
            `${JSON.stringify(errorCore(c.error))}\n  got error  ` +
            JSON.stringify(errorCore(got.error)))
        }
      } else if (got.output !== c.output) {
        failures.push(`${JSON.stringify(c.template)}\n  want ${JSON.stringify(c.output)}` +
          `\n  got  ${JSON.stringify(got.output ?? got.error)}`)
      }
    }
    assert.equal(failures.length, 0, `${failures.length} of ${cases.length} differ:\n` +
      failures.join('\n'))
  })
}

const reference = referenceBinary() ?? 'consul-template (not installed)'
const haveReference = existsSync(reference)
if (!haveReference) {
  console.error(`SKIPPING live reference check: ${reference} is not installed`)
}

test('a sample of fixtures still matches the live reference', {
  skip: !haveReference && `SKIPPED LOUDLY: reference binary ${reference} not found`,
}, async () => {
  // data.json comes from the reference's template package, not the binary.
  const all = fixtures.filter(([g]) => g !== 'data').flatMap(([, cs]) => cs)
  const sample = all.filter((_, i) => i % 20 === 0)
  for (const c of sample) {
    const live = await renderWithReference(reference, c)
    const want = c.error !== undefined ? { error: c.error } : { output: c.output }
    assert.deepEqual(live, want, c.template)
  }
})
