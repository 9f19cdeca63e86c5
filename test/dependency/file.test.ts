import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { cleanPath, DependencyError, FileDependency } from '../../src/dependency/index.ts'
import { FakeReader } from './fake-reader.ts'

describe('file dependency', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctmpl-file-'))
  const ctx = { consul: new FakeReader(), timings: { filePollMs: 20 } }
  after(() => rmSync(dir, { recursive: true, force: true }))

  function opts(state: Record<string, unknown>, index = 0, signal?: AbortSignal) {
    return { index, waitMs: 0, allowStale: false,
      signal: signal ?? new AbortController().signal, state }
  }

  test('first fetch answers at once, the next waits for a change', async () => {
    const file = join(dir, 'a.txt')
    writeFileSync(file, 'one')
    const dep = new FileDependency(file)
    assert.equal(dep.key, `file(${file})`)
    const state = {}
    const first = await dep.fetch(ctx, opts(state))
    assert.equal(first.data, 'one')
    const pending = dep.fetch(ctx, opts(state, first.index))
    setTimeout(() => writeFileSync(file, 'two!'), 60)
    const second = await pending
    assert.equal(second.data, 'two!')
    assert.ok(second.index > first.index)
  })

  test('a missing file is an error naming the dependency', async () => {
    const dep = new FileDependency(join(dir, 'nope'))
    await assert.rejects(dep.fetch(ctx, opts({})), (e) => {
      assert.ok(e instanceof DependencyError)
      assert.match(e.message, /^file\(.*nope\): ENOENT/)
      return true
    })
  })

  test('a stopped view ends the poll', async () => {
    const file = join(dir, 'b.txt')
    writeFileSync(file, 'x')
    const dep = new FileDependency(file)
    const state = {}
    await dep.fetch(ctx, opts(state))
    const ac = new AbortController()
    const p = dep.fetch(ctx, opts(state, 5, ac.signal))
    setTimeout(() => ac.abort(), 30)
    await assert.rejects(p, { name: 'AbortError' })
  })

  test('sandbox is enforced at read time', async () => {
    const box = mkdtempSync(join(dir, 'box-'))
    const outside = join(dir, 'secret.txt')
    writeFileSync(outside, 'secret')
    const link = join(box, 'link.txt')
    symlinkSync(outside, link)
    const dep = new FileDependency(link, box)
    await assert.rejects(dep.fetch(ctx, opts({})), /outside the sandbox/)
  })

  test('cleanPath follows filepath.Clean', () => {
    assert.equal(cleanPath(''), '.')
    assert.equal(cleanPath('a/../b/'), 'b')
    assert.equal(cleanPath('./x//y'), 'x/y')
    assert.equal(cleanPath('/'), '/')
  })

  test('empty path is a parse error', () => {
    assert.throws(() => new FileDependency(''), /file: invalid format: ""/)
  })
})
