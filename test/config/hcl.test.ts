// The HCL1 reader: values, blocks, heredocs, numbers, comments, and the
// exact text of syntax errors (file:line:column).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, parseHcl } from '../../src/config/index.ts'
import type { Entry, Node } from '../../src/config/ast.ts'

/** Turns a tree into plain data; repeated keys become [key, value] pairs. */
function plain(n: Node): unknown {
  switch (n.kind) {
    case 'object': return n.entries.map((e: Entry) => [e.key, plain(e.value)])
    case 'list': return n.items.map(plain)
    case 'null': return null
    default: return n.value
  }
}

const ok = [
  // scalars
  { name: 'string', src: 'a = "x"', want: [['a', 'x']] },
  { name: 'int', src: 'a = 42', want: [['a', 42]] },
  { name: 'negative', src: 'a = -7', want: [['a', -7]] },
  { name: 'octal perms', src: 'perms = 0600', want: [['perms', 384]] },
  { name: 'hex', src: 'a = 0x1f', want: [['a', 31]] },
  { name: 'zero', src: 'a = 0', want: [['a', 0]] },
  { name: 'float', src: 'a = 0.9', want: [['a', 0.9]] },
  { name: 'exponent', src: 'a = 1e3', want: [['a', 1000]] },
  { name: 'bools', src: 'a = true\nb = false', want: [['a', true], ['b', false]] },
  // strings
  { name: 'escapes', src: String.raw`a = "q\"b\\s\tn\n"`, want: [['a', 'q"b\\s\tn\n']] },
  { name: 'hex and unicode escapes', src: String.raw`a = "\x41\u00e9\101"`,
    want: [['a', 'AéA']] },
  { name: 'interpolation kept', src: 'a = "${x "q"}|"', want: [['a', '${x "q"}|']] },
  { name: 'template text kept', src: 'a = "{{ key \\"k\\" }}"', want: [['a', '{{ key "k" }}']] },
  { name: 'quoted key', src: '"a b" = 1', want: [['a b', 1]] },
  // heredocs
  { name: 'heredoc', src: 'a = <<EOF\n  x\ny\nEOF\n', want: [['a', '  x\ny\n']] },
  { name: 'indented heredoc', src: 'a = <<-EOF\n    a\n      b\n    EOF\n',
    want: [['a', 'a\n  b\n']] },
  { name: 'indented heredoc, uneven', src: 'a = <<-EOF\n  a\n b\n  EOF\n',
    want: [['a', '  a\n b\n']] },
  { name: 'heredoc at end of file', src: 'a = <<EOT\nx\nEOT', want: [['a', 'x\n']] },
  { name: 'empty heredoc', src: 'a = <<EOF\nEOF\n', want: [['a', '']] },
  // comments
  { name: 'comments', src: '# one\n// two\n/* three\n four */ a = 1 # tail\n',
    want: [['a', 1]] },
  // lists
  { name: 'list', src: 'a = ["x", 1, true]', want: [['a', ['x', 1, true]]] },
  { name: 'list trailing comma, newlines', src: 'a = [\n  "x",\n  "y",\n]\n',
    want: [['a', ['x', 'y']]] },
  { name: 'empty list', src: 'a = []', want: [['a', []]] },
  { name: 'list of objects', src: 'a = [{ b = 1 }]', want: [['a', [[['b', 1]]]]] },
  // blocks
  { name: 'block', src: 'consul {\n  address = "x"\n}', want: [['consul', [['address', 'x']]]] },
  { name: 'block with =', src: 'wait = { min = "1s" }', want: [['wait', [['min', '1s']]]] },
  { name: 'one-line block', src: 'wait { min = "1s" max = "2s" }',
    want: [['wait', [['min', '1s'], ['max', '2s']]]] },
  { name: 'commas between items', src: 'w { a = 1, b = 2 }', want: [['w', [['a', 1], ['b', 2]]]] },
  { name: 'repeated blocks kept', src: 'template {}\ntemplate {}',
    want: [['template', []], ['template', []]] },
  { name: 'labelled block nests', src: 'a "b" "c" { x = 1 }',
    want: [['a', [['b', [['c', [['x', 1]]]]]]]] },
  { name: 'dotted and dashed idents', src: 'a.b-c = 1', want: [['a.b-c', 1]] },
  { name: 'empty file', src: '', want: [] },
  { name: 'CRLF line ends', src: 'a = 1\r\nb = "x"\r\n', want: [['a', 1], ['b', 'x']] },
]

for (const c of ok) {
  test(`hcl: ${c.name}`, () => {
    const got = plain(parseHcl(c.src, 't.hcl'))
    assert.deepEqual(got, c.want, JSON.stringify(got))
  })
}

const bad = [
  { name: 'unclosed block', src: 'template {\n source = "x"\n',
    err: "t.hcl:3:1: expected '}' to close the block opened at 1:10, found end of file" },
  { name: 'unterminated string', src: 'a = "x\nb = 1',
    err: 't.hcl:1:5: string not terminated' },
  { name: 'bad octal', src: 'perms = 0689', err: 't.hcl:1:9: invalid octal number 0689' },
  { name: 'bare word value', src: 'a = yes', err: 't.hcl:1:5: expected a value, found identifier yes' },
  { name: 'missing =', src: 'a "x"\nb = 1',
    err: 't.hcl:2:3: a block label list ("a" "x" "b") must be followed by \'{\', found \'=\'' },
  { name: 'key without value', src: 'a\n', err: 't.hcl:2:1: key "a" expects \'=\' or \'{\', found end of file' },
  { name: 'unclosed list', src: 'a = [1, 2', err: "t.hcl:1:10: expected ',' or ']' in list, found end of file" },
  { name: 'list without commas', src: 'a = [1 2]', err: "t.hcl:1:8: expected ',' or ']' in list, found number 2" },
  { name: 'stray brace', src: '}', err: "t.hcl:1:1: expected a key, found '}'" },
  { name: 'unknown escape', src: 'a = "\\q"', err: 't.hcl:1:6: unknown escape sequence \\q' },
  { name: 'unterminated comment', src: 'a = 1 /* x', err: 't.hcl:1:7: comment not terminated' },
  { name: 'heredoc without end', src: 'a = <<EOF\nx\n', err: 't.hcl:1:5: heredoc not terminated: no EOF line' },
  { name: 'odd character', src: 'a = 1\n@', err: 't.hcl:2:1: unexpected character "@"' },
]

for (const c of bad) {
  test(`hcl error: ${c.name}`, () => {
    assert.throws(() => parseHcl(c.src, 't.hcl'), (err: unknown) => {
      assert.ok(err instanceof ConfigError)
      assert.equal(err.message, c.err)
      return true
    })
  })
}

test('hcl: positions of keys and values', () => {
  const root = parseHcl('a = 1\ntemplate {\n  source = "x"\n}\n', 'p.hcl')
  const t = root.entries[1]!
  assert.deepEqual(t.at, { file: 'p.hcl', line: 2, column: 1 })
  assert.deepEqual(t.value.at, { file: 'p.hcl', line: 2, column: 10 })
  assert.equal(t.value.kind, 'object')
  if (t.value.kind !== 'object') return
  assert.deepEqual(t.value.entries[0]!.at, { file: 'p.hcl', line: 3, column: 3 })
  assert.deepEqual(t.value.entries[0]!.value.at, { file: 'p.hcl', line: 3, column: 12 })
})
