// Differential fuzzing of the template engine against the reference
// consul-template: random printf calls (batched into one template), random
// built-in expressions and random template sources (one process each).
// Prints every mismatch and exits 1 if there was one.
//   node --import tsx scripts/template-fuzz.ts [printf|expr|source] [SEED] [COUNT]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { referenceBinary, runAll } from './template-reference.ts'
import { referenceFuncs, render } from '../test/template/helpers.ts'
import type { Outcome } from '../test/template/helpers.ts'

const [mode = 'expr', seedArg = '1', countArg = '500'] = process.argv.slice(2)
let seed = Number(seedArg)
const count = Number(countArg)

/** Returns a pseudo-random number in [0, 1), reproducible from the seed. */
function rnd(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}

function pick<T>(a: readonly T[]): T {
  return a[Math.floor(rnd() * a.length)]!
}

const json = '{\\"a\\":1,\\"c\\":[1,\\"s\\",null],\\"d\\":{\\"k\\":2},\\"e\\":null}'
const prelude = `{{$j := parseJSON "${json}"}}`
const literals = ['0', '1', '-1', '2', '1.5', '0.0', '"a"', '""', '"héllo"', 'true', 'false',
  'nil', '.', '.x', '$', '$j', '$j.a', '$j.c', '$j.d', '$j.e', '$j.zz', '(index $j.c 0)', "'a'"]
const funcs: [string, number][] = [['eq', 2], ['eq', 3], ['ne', 2], ['lt', 2], ['le', 2],
  ['gt', 2], ['ge', 2], ['and', 2], ['or', 2], ['not', 1], ['len', 1], ['index', 2],
  ['slice', 2], ['slice', 3], ['print', 2], ['println', 1], ['html', 1], ['js', 1],
  ['urlquery', 2], ['printf', 2], ['call', 1]]

function expr(depth: number): string {
  if (depth <= 0 || rnd() < 0.35) return pick(literals)
  const [f, n] = pick(funcs)
  const args = Array.from({ length: n }, () => expr(depth - 1))
  if (f === 'printf') args[0] = pick(['"%v"', '"%d %s"', '"%q"', '"%T"'])
  return `(${f} ${args.join(' ')})`
}

function exprCase(): string {
  const e = expr(3)
  return prelude + pick([`{{${e.slice(1, -1)}}}`, `{{if ${e}}}T{{else}}F{{end}}`,
    `{{range $i, $v := ${e}}}{{$i}}={{$v}};{{else}}E{{end}}`, `{{with ${e}}}[{{.}}]{{end}}`])
}

const pieces = ['{{', '}}', '{{- ', ' -}}', ' ', '\n', '.', '.A', '$x', '$x := 1', ' = ', '|',
  '(', ')', '"s"', '`r`', "'c'", '1', '-2.5e3', '0x1F', 'if ', 'else', 'end', 'range ',
  'with ', 'define "d"', 'template "d"', 'block "b" .', 'break', 'continue', 'nil', 'true',
  'len', 'printf', '/*', '*/', ',', 'é', 'x', '{{end}}', '{{else}}', '{{if 1}}', '{{range 2}}']

function sourceCase(): string {
  return Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => pick(pieces)).join('')
}

function printfLine(): string {
  const verbs = 'vdsqxXobeEfFgGtcUT'
  const args = ['0', '1', '-1', '42', '-255', '65', '9223372036854775807', '0.0', '1.5',
    '-2.25', '1e6', '1e-7', '0.1', '2.5', '-0.0', '1e21', '"abc"', '""', '"héllo"', 'true',
    'nil', '(parseJSON "[1,\\"a\\"]")', '(parseJSON "{\\"k\\":1.5}")', '1e100']
  let f = '%'
  for (const fl of '-+# 0') if (rnd() < 0.15) f += fl
  if (rnd() < 0.4) f += String(Math.floor(rnd() * 12))
  if (rnd() < 0.4) f += '.' + String(Math.floor(rnd() * 8))
  f += pick([...verbs])
  const n = rnd() < 0.9 ? 1 : rnd() < 0.5 ? 0 : 2
  return `{{printf "[${f}]" ${Array.from({ length: n }, () => pick(args)).join(' ')}}}`
}

const ours = (src: string): Outcome =>
  render(src, undefined, { funcs: referenceFuncs, missingKey: 'zero' }, '')

async function main(): Promise<number> {
  const bin = referenceBinary()
  if (bin === null) {
    console.error('reference consul-template not found; set CTMPL_REFERENCE')
    return 2
  }
  let bad = 0
  if (mode === 'printf') {
    const lines = Array.from({ length: count }, printfLine)
    const dir = mkdtempSync(join(tmpdir(), 'ctmpl-fuzz-'))
    writeFileSync(join(dir, 'in.tmpl'), lines.join('\n') + '\n')
    spawnSync(bin, ['-once', '-consul-addr', '127.0.0.1:1', '-template', 'in.tmpl:out.txt'],
      { cwd: dir, stdio: 'ignore', timeout: 60_000 })
    const want = readFileSync(join(dir, 'out.txt'), 'utf8').split('\n')
    rmSync(dir, { recursive: true, force: true })
    const got = (ours(lines.join('\n') + '\n').out ?? '').split('\n')
    lines.forEach((l, i) => {
      if (want[i] === got[i]) return
      bad++
      console.log(`${l}\n  reference ${JSON.stringify(want[i])}\n` +
        `  ctmpl     ${JSON.stringify(got[i])}`)
    })
  } else {
    const make = mode === 'source' ? sourceCase : exprCase
    const cases = Array.from({ length: count }, (_, i) => ({ name: String(i), src: make() }))
    for (const r of await runAll(bin, cases)) {
      const want = r.err !== undefined ? { err: r.err } : { out: r.out }
      const got = ours(r.src)
      // The reference's log line drops trailing newlines of an error message.
      const trim = (s?: string): string | undefined => s?.replace(/\n+$/, '')
      if (got.err !== undefined && trim(got.err) === trim(want.err)) continue
      if (JSON.stringify(got) === JSON.stringify(want)) continue
      bad++
      console.log(`${JSON.stringify(r.src)}\n  reference ${JSON.stringify(want)}\n` +
        `  ctmpl     ${JSON.stringify(got)}`)
    }
  }
  console.log(`${mode}: ${bad} mismatches of ${count}`)
  return bad === 0 ? 0 : 1
}

process.exitCode = await main()
