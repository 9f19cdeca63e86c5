// Property tests: the lexer and parser fail only with positioned template
// errors, and text without actions renders unchanged.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { Template, TemplateError } from '../../src/template/index.ts'
import { Lexer, Item } from '../../src/template/lexer.ts'

// Fragments that steer random input into the interesting parts of the grammar.
const pieces = fc.constantFrom('{{', '}}', '{{-', '-}}', ' ', '\n', '.', '.A', '$x', ':=',
  '=', '|', '(', ')', '"s"', '`r`', "'c'", '1', '-2.5e3', '0x1F', 'if', 'else', 'end',
  'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true',
  'len', 'printf', '/*', '*/', ',', 'é', '😀', '\\', '"', '#', 'x')
const source = fc.oneof(
  fc.string(),
  fc.array(pieces, { maxLength: 30 }).map((a) => a.join('')),
)

test('parse only throws positioned TemplateErrors', () => {
  fc.assert(fc.property(source, (src) => {
    try {
      Template.parse('p', src)
    } catch (e) {
      assert.ok(e instanceof TemplateError, String(e))
      assert.equal(e.code, 'ETPL_PARSE')
      assert.match(e.message, /^template: p:\d+: /)
      assert.ok(e.where.line >= 1 && e.where.line <= src.split('\n').length + 1)
    }
  }), { numRuns: 3000 })
})

test('executing random templates raises only TemplateErrors', () => {
  fc.assert(fc.property(source, fc.anything(), (src, data) => {
    let t: Template
    try {
      t = Template.parse('p', src)
    } catch {
      return
    }
    try {
      t.execute(data)
    } catch (e) {
      assert.ok(e instanceof TemplateError, String(e))
    }
  }), { numRuns: 2000 })
})

test('text without actions renders unchanged', () => {
  const text = fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('{{'))
  fc.assert(fc.property(text, (s) => {
    assert.equal(Template.parse('p', s).execute(null), s)
  }), { numRuns: 2000 })
})

test('the lexer always ends with EOF or an error', () => {
  fc.assert(fc.property(source, (src) => {
    const lx = new Lexer(src, '{{', '}}')
    let pos = -1
    for (let i = 0; i <= src.length + 2; i++) {
      const it = lx.nextItem()
      assert.ok(it.pos >= pos, 'positions never go back')
      pos = it.pos
      if (it.kind === Item.EOF || it.kind === Item.Error) return
    }
    assert.fail('lexer did not finish')
  }), { numRuns: 2000 })
})
