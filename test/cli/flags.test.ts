import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseFlags, FlagError, type FlagDef } from '../../src/cli/flags.ts'

const defs: Record<string, FlagDef> = {
  once: { kind: 'bool', usage: 'render once' },
  'log-level': { kind: 'string', usage: 'level' },
  template: { kind: 'list', usage: 'in:out' },
}

const cases: { name: string; args: string[]; values?: object; lists?: object;
  rest?: string[]; err?: string }[] = [
  { name: 'bool bare', args: ['-once'], values: { once: 'true' } },
  { name: 'bool double dash', args: ['--once=false'], values: { once: 'false' } },
  { name: 'bool bad word', args: ['-once=yes'],
    err: 'invalid boolean value "yes" for -once: parse error' },
  { name: 'string space', args: ['-log-level', 'debug'], values: { 'log-level': 'debug' } },
  { name: 'string equals', args: ['--log-level=warn'], values: { 'log-level': 'warn' } },
  { name: 'repeat list', args: ['-template', 'a:b', '-template=c:d'],
    lists: { template: ['a:b', 'c:d'] } },
  { name: 'stops at non-flag', args: ['-once', 'x', '-y'], rest: ['x', '-y'] },
  { name: 'double dash ends', args: ['--', '-once'], rest: ['-once'] },
  { name: 'unknown', args: ['-nope'], err: 'flag provided but not defined: -nope' },
  { name: 'missing arg', args: ['-log-level'], err: 'flag needs an argument: -log-level' },
  { name: 'bad syntax', args: ['---x'], err: 'bad flag syntax: ---x' },
]

for (const c of cases) {
  test(c.name, () => {
    if (c.err) {
      assert.throws(() => parseFlags(c.args, defs), (e: unknown) =>
        e instanceof FlagError && e.message === c.err)
      return
    }
    const p = parseFlags(c.args, defs)
    if (c.values) assert.deepEqual(Object.fromEntries(p.values), c.values)
    if (c.lists) assert.deepEqual(Object.fromEntries(p.lists), c.lists)
    assert.deepEqual(p.rest, c.rest ?? [])
  })
}
