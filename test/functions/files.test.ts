// writeToFile: modes, flags and owner, and the attack cases: escapes from
// sandbox_path and symbolic links planted at or above the target. Each
// refusal leaves the file outside the sandbox untouched.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync,
  existsSync, lstatSync,
} from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileFuncs, writeGuarded } from '../../src/functions/files.ts'
import type { WriteRequest } from '../../src/functions/files.ts'
import { Template } from '../../src/template/index.ts'
import { helperFuncs } from '../../src/functions/index.ts'
import { referenceBinary } from '../../scripts/reference-binary.ts'

let base = ''
let box = ''
let outside = ''
let secret = ''

before(() => {
  base = mkdtempSync(join(tmpdir(), 'ctmpl-write-'))
  box = join(base, 'box')
  outside = join(base, 'outside')
  mkdirSync(box)
  mkdirSync(outside)
  secret = join(outside, 'secret.txt')
  writeFileSync(secret, 'untouched')
})

after(() => rmSync(base, { recursive: true, force: true }))

const write = (sandbox: string | undefined, ...args: string[]) =>
  fileFuncs(sandbox)['writeToFile']!(...args)

function assertSecretIntact(): void {
  assert.equal(readFileSync(secret, 'utf8'), 'untouched')
}

test('writes content with the given mode and returns ""', () => {
  const p = join(box, 'a.txt')
  assert.equal(write(box, p, '', '', '0640', 'hello'), '')
  assert.equal(readFileSync(p, 'utf8'), 'hello')
  assert.equal(statSync(p).mode & 0o777, 0o640)
})

test('truncates, appends, adds a newline', () => {
  const p = join(box, 'b.txt')
  write(box, p, '', '', '0644', 'first')
  write(box, p, '', '', '0644', 'second')
  assert.equal(readFileSync(p, 'utf8'), 'second')
  write(box, p, '', '', '0644', 'append', '+more')
  write(box, p, '', '', '0644', 'append,newline', '+line')
  assert.equal(readFileSync(p, 'utf8'), 'second+more+line\n')
})

test('creates missing parent directories', () => {
  const p = join(box, 'deep', 'er', 'c.txt')
  write(box, p, '', '', '0600', 'x')
  assert.equal(readFileSync(p, 'utf8'), 'x')
})

test('chmod applies to an existing file too', () => {
  const p = join(box, 'mode.txt')
  write(box, p, '', '', '0644', 'x')
  write(box, p, '', '', '0600', 'y')
  assert.equal(statSync(p).mode & 0o777, 0o600)
})

test('owner by numeric id and by name', () => {
  const p = join(box, 'own.txt')
  const uid = process.getuid!()
  const gid = process.getgid!()
  write(box, p, String(uid), String(gid), '0644', 'x')
  assert.equal(statSync(p).uid, uid)
  if (uid === 0) {
    write(box, p, 'root', 'root', '0644', 'x')
    assert.equal(statSync(p).gid, 0)
  }
  assert.throws(() => write(box, p, 'no-such-user-ctmpl', '', '0644', 'x'),
    /unknown user no-such-user-ctmpl/)
})

test('bad permissions are strconv errors', () => {
  assert.throws(() => write(box, join(box, 'p'), '', '', '99', 'x'),
    { message: 'strconv.ParseUint: parsing "99": invalid syntax' })
  assert.equal(existsSync(join(box, 'p')), false)
})

test('missing content is the reference\'s index error', () => {
  assert.throws(() => write(box, join(box, 'q'), '', '', '0644'),
    { message: 'runtime error: index out of range [-1]' })
})

// Attack cases.

test('../ escape from the sandbox is refused', () => {
  const p = join(box, '..', 'outside', 'secret.txt')
  assert.throws(() => write(box, p, '', '', '0644', 'pwned'),
    (err: Error) => err.message.includes('is outside the sandbox') && err.message.includes(box))
  assertSecretIntact()
})

test('absolute path outside the sandbox is refused', () => {
  assert.throws(() => write(box, secret, '', '', '0644', 'pwned'), /is outside the sandbox/)
  assertSecretIntact()
})

test('symlinked directory inside the sandbox pointing out is refused', () => {
  symlinkSync(outside, join(box, 'escape-dir'))
  assert.throws(() => write(box, join(box, 'escape-dir', 'secret.txt'), '', '', '0644', 'p'),
    /is outside the sandbox .*resolves to/)
  assertSecretIntact()
})

test('existing symlink at the target is refused, even without a sandbox', () => {
  const link = join(box, 'planted')
  symlinkSync(secret, link)
  assert.throws(() => write(undefined, link, '', '', '0644', 'pwned'),
    { message: `writeToFile: refusing to write to symlink "${link}"` })
  assert.throws(() => write(box, link, '', '', '0644', 'pwned'), /outside the sandbox/)
  assertSecretIntact()
  assert.ok(lstatSync(link).isSymbolicLink())
})

test('symlink at the target pointing inside is still refused', () => {
  const real = join(box, 'real.txt')
  writeFileSync(real, 'orig')
  const link = join(box, 'inner-link')
  symlinkSync(real, link)
  assert.throws(() => write(box, link, '', '', '0644', 'x'), /refusing to write to symlink/)
  assert.equal(readFileSync(real, 'utf8'), 'orig')
})

test('symlinked parent directory is refused without a sandbox', () => {
  const dirLink = join(base, 'dirlink')
  symlinkSync(outside, dirLink)
  assert.throws(() => write(undefined, join(dirLink, 'secret.txt'), '', '', '0644', 'x'),
    /refusing to write through symlinked directory/)
  assertSecretIntact()
})

test('symlink swapped in after the check fails the open (O_NOFOLLOW)', () => {
  const target = join(box, 'race.txt')
  const req: WriteRequest = {
    path: target, user: '', group: '', mode: 0o644, append: false, content: 'pwned',
  }
  // The race runs after writeGuarded's checks, just before its open.
  assert.throws(() => writeGuarded(req, box, () => symlinkSync(secret, target)),
    /refusing to follow symbolic link/)
  assertSecretIntact()
})

test('through the engine: hooks replace the real write', () => {
  const seen: WriteRequest[] = []
  const funcs = helperFuncs({ writeToFile: (r) => seen.push(r) })
  const out = Template.parse('t', '{{ "body" | writeToFile "/x/y" "" "" "0600" "newline" }}ok',
    { funcs }).execute(null, { funcs })
  assert.equal(out, 'ok')
  assert.deepEqual(seen, [{ path: '/x/y', user: '', group: '', mode: 0o600,
    append: false, content: 'body\n' }])
})

const reference = referenceBinary() ?? 'consul-template (not installed)'

test('same files as the reference for the same calls', {
  skip: !existsSync(reference) && `SKIPPED LOUDLY: reference binary ${reference} not found`,
}, () => {
  const calls = (dir: string) => [
    `{{ "one" | writeToFile "${dir}/a.txt" "" "" "0640" }}`,
    `{{ "two" | writeToFile "${dir}/a.txt" "" "" "0600" "append,newline" }}`,
    `{{ "x" | writeToFile "${dir}/sub/dir/b.txt" "" "" "0755" "newline" }}`,
    `{{ "" | writeToFile "${dir}/c.txt" "" "" "0644" "append" }}`,
  ].join('')
  const refDir = join(base, 'ref-out')
  const ourDir = join(base, 'our-out')
  mkdirSync(refDir)
  mkdirSync(ourDir)
  writeFileSync(join(base, 'ref.tmpl'), calls(refDir))
  const res = spawnSync(reference, ['-once', '-consul-addr', '127.0.0.1:1', '-template',
    `${join(base, 'ref.tmpl')}:${join(base, 'ref.out')}`], { encoding: 'utf8', timeout: 20_000 })
  assert.equal(res.status, 0, res.stderr)
  const funcs = helperFuncs()
  Template.parse('t', calls(ourDir), { funcs }).execute(null, { funcs })
  for (const f of ['a.txt', 'sub/dir/b.txt', 'c.txt']) {
    assert.equal(readFileSync(join(ourDir, f), 'utf8'), readFileSync(join(refDir, f), 'utf8'), f)
    assert.equal(statSync(join(ourDir, f)).mode, statSync(join(refDir, f)).mode, f)
  }
  assert.equal(statSync(join(ourDir, 'sub/dir')).mode, statSync(join(refDir, 'sub/dir')).mode)
})
