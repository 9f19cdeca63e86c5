// Attack cases for sandbox_path: every escape is refused with an error that
// names the path and the sandbox, and nothing outside is read.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  constants, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync,
  symlinkSync, unlinkSync, writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  SandboxError, openInSandbox, readFileInSandbox, resolveInSandbox,
  resolveLinks,
} from '../../src/dependency/sandbox.ts'

let base = ''
let box = ''
let outside = ''

before(() => {
  base = mkdtempSync(join(tmpdir(), 'ctmpl-sandbox-'))
  box = join(base, 'box')
  outside = join(base, 'outside')
  mkdirSync(join(box, 'sub'), { recursive: true })
  mkdirSync(outside)
  writeFileSync(join(box, 'ok.txt'), 'inside')
  writeFileSync(join(outside, 'secret.txt'), 'secret')
  symlinkSync(join(outside, 'secret.txt'), join(box, 'link-out'))
  symlinkSync('../outside', join(box, 'dir-out'))
  symlinkSync('ok.txt', join(box, 'link-in'))
  symlinkSync(join(outside, 'nothing-yet'), join(box, 'dangling-out'))
})

after(() => rmSync(base, { recursive: true, force: true }))

const refused = (path: () => string) => async () => {
  await assert.rejects(resolveInSandbox(path(), box), (err: Error) => {
    assert.ok(err instanceof SandboxError, String(err))
    assert.match(err.message, /is outside the sandbox/)
    assert.ok(err.message.includes(box), err.message)
    return true
  })
}

test('plain file inside', async () => {
  assert.equal(await resolveInSandbox(join(box, 'ok.txt'), box),
    join(box, 'ok.txt'))
  assert.equal(await readFileInSandbox(join(box, 'ok.txt'), box), 'inside')
})

test('missing file inside resolves lexically', async () => {
  assert.equal(await resolveInSandbox(join(box, 'new', 'a.txt'), box),
    join(box, 'new', 'a.txt'))
})

test('symlink staying inside', async () => {
  assert.equal(await resolveInSandbox(join(box, 'link-in'), box),
    join(box, 'ok.txt'))
})

test('no sandbox: any path', async () => {
  assert.equal(await resolveInSandbox(join(outside, 'secret.txt'), undefined),
    join(outside, 'secret.txt'))
})

test('../ escape', refused(() => join(box, '..', 'outside', 'secret.txt')))
test('../ escape written raw', refused(() => box + '/sub/../../outside/x'))
test('absolute path outside', refused(() => '/etc/passwd'))
test('sibling with sandbox as prefix', refused(() => box + '-evil/x'))
test('symlink to a file outside', refused(() => join(box, 'link-out')))
test('symlink dir outside', refused(() => join(box, 'dir-out', 'secret.txt')))
test('dangling symlink outside', refused(() => join(box, 'dangling-out')))

test('error says where the link leads', async () => {
  await assert.rejects(resolveInSandbox(join(box, 'link-out'), box),
    { message: `"${join(box, 'link-out')}" is outside the sandbox "${box}" ` +
      `(it resolves to "${join(outside, 'secret.txt')}")` })
})

test('missing sandbox is an error', async () => {
  await assert.rejects(resolveInSandbox('x', join(base, 'nope')),
    /cannot resolve sandbox/)
})

test('link loop is an error', async () => {
  symlinkSync('loop-b', join(box, 'loop-a'))
  symlinkSync('loop-a', join(box, 'loop-b'))
  assert.throws(() => resolveLinks(join(box, 'loop-a')),
    /too many levels of symbolic links/)
})

test('file swapped for a symlink after the check', () => {
  const target = join(box, 'swap.txt')
  writeFileSync(target, 'fine')
  assert.throws(() => openInSandbox(target, box, {
    flags: constants.O_RDONLY,
    afterCheck: () => {
      unlinkSync(target)
      symlinkSync(join(outside, 'secret.txt'), target)
    },
  }), /refusing to follow symbolic link/)
})

test('directory swapped for a symlink after the check', () => {
  const dir = join(box, 'swapdir')
  mkdirSync(dir)
  writeFileSync(join(dir, 'secret.txt'), 'fine')
  assert.throws(() => openInSandbox(join(dir, 'secret.txt'), box, {
    flags: constants.O_RDONLY,
    afterCheck: () => {
      renameSync(dir, dir + '.old')
      symlinkSync(outside, dir)
    },
  }), /swapped to ".*outside\/secret.txt" while opening/)
  assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'secret')
})
