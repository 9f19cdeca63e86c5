import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildChildEnv, globMatch } from '../../src/runner/childenv.ts'

// Expectations follow Go's filepath.Match on Unix.
const globs: [pattern: string, name: string, want: boolean][] = [
  // plain and star
  ['FOO', 'FOO', true],
  ['FOO', 'FOOD', false],
  ['FOO_*', 'FOO_A', true],
  ['FOO_*', 'FOO_', true],
  ['FOO_*', 'FOO', false],
  ['*', 'ANYTHING', true],
  ['*', '', true],
  ['*_KEY', 'AWS_SECRET_KEY', true],
  ['A*B*C', 'AxxBxxBxC', true],
  ['A*B*C', 'AxxBxxBx', false],
  ['*', 'a/b', false],
  ['a*', 'a/b', false],
  // question mark
  ['BAR_?', 'BAR_C', true],
  ['BAR_?', 'BAR_CD', false],
  ['?', 'é', true],
  ['a?b', 'a/b', false],
  // classes
  ['[AB]X', 'BX', true],
  ['[AB]X', 'CX', false],
  ['[^AB]X', 'CX', true],
  ['[^AB]X', 'AX', false],
  ['[a-c]1', 'b1', true],
  ['[a-c]1', 'd1', false],
  ['[z-a]', 'm', false],
  ['[\\]]', ']', true],
  ['[\\-]', '-', true],
  ['[/]', '/', true],
  // escapes
  ['A\\*', 'A*', true],
  ['A\\*', 'AB', false],
  // malformed patterns never match
  ['[', '[', false],
  ['[]', ']', false],
  ['[]]', ']', false],
  ['[-]', '-', false],
  ['[a-]', 'a', false],
  ['[^]', 'x', false],
  ['A\\', 'A\\', false],
  ['FOO[', 'FOO', false],
  ['*[', 'x', false],
]

for (const [pattern, name, want] of globs) {
  test(`globMatch ${JSON.stringify(pattern)} ${JSON.stringify(name)}`, () => {
    assert.equal(globMatch(pattern, name), want)
  })
}

const parent = { FOO_A: '1', FOO_B: '2', BAR_C: '3', PATH: '/bin', HOME: '/h' }

const envCases: { name: string; input: Parameters<typeof buildChildEnv>;
  env: Record<string, string>; dropped?: string[] }[] = [
  { name: 'inherit everything', input: [{}, parent], env: parent },
  { name: 'pristine without custom is empty', input: [{ pristine: true }, parent],
    env: {} },
  { name: 'pristine keeps consul vars and custom',
    input: [{ pristine: true, custom: ['X=1', 'X=2', 'Y=a=b'] }, parent,
      { CONSUL_HTTP_ADDR: '127.0.0.1:8500' }],
    env: { CONSUL_HTTP_ADDR: '127.0.0.1:8500', X: '2', Y: 'a=b' } },
  { name: 'allowlist with globs',
    input: [{ allowlist: ['FOO_*', 'BAR_?'] }, parent],
    env: { FOO_A: '1', FOO_B: '2', BAR_C: '3' } },
  { name: 'denylist wins over allowlist',
    input: [{ allowlist: ['FOO_*'], denylist: ['FOO_B'] }, parent],
    env: { FOO_A: '1' } },
  { name: 'denylist alone', input: [{ denylist: ['*_?', 'HOME'] }, parent],
    env: { PATH: '/bin' } },
  { name: 'custom ignores the lists and overrides',
    input: [{ allowlist: ['FOO_A'], custom: ['FOO_A=x', 'HOME=/c'] }, parent],
    env: { FOO_A: 'x', HOME: '/c' } },
  { name: 'custom overrides the consul vars',
    input: [{ pristine: true, custom: ['CONSUL_HTTP_SSL=true'] }, {},
      { CONSUL_HTTP_SSL: 'false', CONSUL_HTTP_ADDR: 'a' }],
    env: { CONSUL_HTTP_SSL: 'true', CONSUL_HTTP_ADDR: 'a' } },
  { name: 'entries without = are dropped',
    input: [{ pristine: true, custom: ['NOEQ', '=x', 'OK='] }, {}],
    env: { OK: '' }, dropped: ['NOEQ', '=x'] },
]

for (const c of envCases) {
  test(`buildChildEnv: ${c.name}`, () => {
    const got = buildChildEnv(...c.input)
    assert.deepEqual(got.env, c.env)
    assert.deepEqual(got.dropped, c.dropped ?? [])
  })
}
