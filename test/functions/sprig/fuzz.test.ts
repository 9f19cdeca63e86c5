/**
 * Seeded random inputs rendered by ctmpl and by the reference binary, for
 * the functions whose rules are easiest to get subtly wrong: word casing,
 * wrapping and abbreviation, decimal math, regular expressions, semver
 * constraints. Skipped, loudly, when the reference is not installed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { findReference, renderWithReference } from '../../../scripts/gen-sprig-fixtures.ts'
import { compile } from '../../../src/functions/sprig/regex.ts'
import { renderWithEngine } from './engine-render.ts'

const bin = findReference()
const skip = bin ? false : 'reference consul-template not found (set CTMPL_REFERENCE)'
if (!bin) console.warn(`SKIPPED Sprig fuzz checks: ${skip}`)

/** A small linear congruential generator, so every run draws the same. */
function generator(seed: number) {
  let state = seed
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!
  const word = (alphabet: string, max: number) => {
    let out = ''
    const n = 1 + Math.floor(next() * max)
    for (let k = 0; k < n; k++) out += pick([...alphabet])
    return out
  }
  return { next, pick, word }
}

const q = (s: string) => JSON.stringify(s)

type LineMaker = (g: ReturnType<typeof generator>) => string

const makers: Record<string, LineMaker> = {
  casing: (g) => {
    const w = g.word('aAbB1 _-.Zz9É', 10)
    return `{{ sprig_snakecase ${q(w)} }} {{ sprig_kebabcase ${q(w)} }} ` +
      `{{ sprig_camelcase ${q(w)} }}`
  },
  wrapping: (g) => {
    const w = g.word('ab  c\n', 25)
    const n = Math.floor(g.next() * 8)
    return `{{ sprig_wrap ${n} ${q(w)} | sprig_quote }} ` +
      `{{ sprig_wrapWith ${n} "|" ${q(w)} | sprig_quote }} ` +
      `{{ sprig_abbrev ${n} ${q(w)} | sprig_quote }} ` +
      `{{ sprig_abbrevboth ${Math.floor(g.next() * 12)} ${n + 3} ${q(w)} | sprig_quote }}`
  },
  math: (g) => {
    const a = (g.next() * 200 - 100).toFixed(Math.floor(g.next() * 4))
    // A divisor that rounds to zero would stop the whole template.
    const b = (g.next() * 20 - 10).toFixed(Math.floor(g.next() * 3))
      .replace(/^-?0(\.0*)?$/, '7')
    return `{{ sprig_addf ${a} ${b} }} {{ sprig_subf ${a} ${b} }} {{ sprig_mulf ${a} ${b} }} ` +
      `{{ sprig_divf ${a} ${b} }} {{ sprig_round ${a} ${Math.floor(g.next() * 4)} }} ` +
      `{{ sprig_add ${q(a)} ${q(b)} }} {{ sprig_int ${q(a)} }} {{ sprig_float64 ${q(a)} }}`
  },
  regex: (g) => {
    const pat = g.word('ab.*+?|()[]^$', 6)
    const s = g.word('aabbc', 8)
    try {
      compile(pat)
    } catch {
      return `{{ sprig_regexMatch ${q(pat)} ${q(s)} }}`
    }
    const repl = g.pick(['[$1]', '${1}x', '$x.', '$$', '<$0>', '-'])
    const n = Math.floor(g.next() * 4) - 1
    return `{{ sprig_regexMatch ${q(pat)} ${q(s)} }} ` +
      `{{ sprig_toJson (sprig_regexFindAll ${q(pat)} ${q(s)} ${n}) }} ` +
      `{{ sprig_toJson (sprig_regexSplit ${q(pat)} ${q(s)} ${n}) }} ` +
      `{{ sprig_regexReplaceAll ${q(pat)} ${q(s)} ${q(repl)} }}`
  },
  semver: (g) => {
    const v = g.pick(['1.2.3', '1.2.3-alpha', '0.0.1', '0.1.0', '2.0.0', '1.0.0-rc.1',
      '1.9.9', '0.2.5', '3.0.0-0', '1.2.0'])
    const op = g.pick(['', '=', '!=', '>', '<', '>=', '<=', '~', '^', '~>', '=>', '=<'])
    const c = g.pick(['1', '1.2', '1.2.3', '1.x', '1.2.x', '*', '0.2', '0', '0.0.1',
      '1.2.3-alpha', '2', 'x', '1.2-0'])
    return `{{ sprig_semverCompare ${q(op + c)} ${q(v)} }}`
  },
}

for (const [name, make] of Object.entries(makers)) {
  test(`fuzz ${name}: 300 seeded inputs agree with the reference`, { skip }, async () => {
    const g = generator(name.length * 7919)
    const lines = Array.from({ length: 300 }, () => make(g))
    const tmpl = lines.join('\n')
    const live = await renderWithReference(bin!, tmpl)
    const mine = renderWithEngine(tmpl)
    assert.equal(mine.err, live.err)
    const want = (live.out ?? '').split('\n')
    const got = (mine.out ?? '').split('\n')
    want.forEach((line, k) => assert.equal(got[k], line, lines[k]))
  })
}
