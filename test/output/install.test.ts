import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import {
  installAtomically, restorePrevious, stageFile, discardStaged,
} from '../../src/output/install.ts'
import { OutputError } from '../../src/output/errors.ts'
import { resolveGroup, resolveUser } from '../../src/output/owner.ts'

let dir: string
before(async () => { dir = await mkdtemp(join(tmpdir(), 'ctmpl-install-')) })
after(async () => { await rm(dir, { recursive: true, force: true }) })

async function leftovers(d: string): Promise<string[]> {
  return (await readdir(d)).filter((n) => n.includes('.ctmpl-'))
}

test('new file gets 0644 and the bytes', async () => {
  const dest = join(dir, 'new.conf')
  const r = await installAtomically({ destination: dest, contents: 'a\n' })
  assert.equal(r.changed, true)
  assert.equal(r.previous, null)
  assert.equal(await readFile(dest, 'utf8'), 'a\n')
  assert.equal((await stat(dest)).mode & 0o7777, 0o644)
})

test('perms win; else the existing mode is kept', async () => {
  const dest = join(dir, 'modes.conf')
  await installAtomically({ destination: dest, contents: '1', perms: 0o600 })
  assert.equal((await stat(dest)).mode & 0o7777, 0o600)
  await chmod(dest, 0o640)
  await installAtomically({ destination: dest, contents: '2' })
  assert.equal((await stat(dest)).mode & 0o7777, 0o640)
  await installAtomically({ destination: dest, contents: '3', perms: 0o604 })
  assert.equal((await stat(dest)).mode & 0o7777, 0o604)
})

test('equal content writes nothing', async () => {
  const dest = join(dir, 'equal.conf')
  await writeFile(dest, 'same')
  const before = await stat(dest)
  await new Promise((ok) => setTimeout(ok, 20))
  const r = await installAtomically({ destination: dest, contents: 'same', perms: 0o600 })
  assert.equal(r.changed, false)
  const st = await stat(dest)
  assert.equal(st.ino, before.ino)
  assert.equal(st.mtimeMs, before.mtimeMs)
  assert.equal(st.mode & 0o7777, before.mode & 0o7777)
})

test('equal content with the wrong owner is rewritten, as the reference does',
  async () => {
    const dest = join(dir, 'equal-owner.conf')
    await writeFile(dest, 'same')
    const r = await installAtomically({ destination: dest, contents: 'same', user: 65534 })
    assert.equal(r.changed, true)
    assert.equal((await stat(dest)).uid, 65534)
    const again = await installAtomically({ destination: dest, contents: 'same',
      user: 'nobody' })
    assert.equal(again.changed, false)
  })

test('replace is a rename: a new inode, the previous bytes kept', async () => {
  const dest = join(dir, 'inode.conf')
  await writeFile(dest, 'old')
  const ino = (await stat(dest)).ino
  const r = await installAtomically({ destination: dest, contents: 'new' })
  assert.notEqual((await stat(dest)).ino, ino)
  assert.equal(r.previous?.bytes.toString(), 'old')
  assert.deepEqual(await leftovers(dir), [])
})

test('owner and group by name and by id', async () => {
  const dest = join(dir, 'owner.conf')
  await installAtomically({ destination: dest, contents: 'x', user: 'nobody',
    group: 'nogroup' })
  let st = await stat(dest)
  assert.equal(st.uid, resolveUser('nobody'))
  assert.equal(st.gid, resolveGroup('nogroup'))
  await installAtomically({ destination: dest, contents: 'y', user: '0', group: 0 })
  st = await stat(dest)
  assert.deepEqual([st.uid, st.gid], [0, 0])
  // Without user/group the existing owner is kept.
  await installAtomically({ destination: dest, contents: 'z', user: 65534 })
  await installAtomically({ destination: dest, contents: 'w' })
  assert.equal((await stat(dest)).uid, 65534)
})

test('unknown user fails before anything is written', async () => {
  const dest = join(dir, 'nouser.conf')
  await writeFile(dest, 'keep')
  await assert.rejects(
    installAtomically({ destination: dest, contents: 'x', user: 'no-such-user-ctmpl' }),
    (e: unknown) => e instanceof OutputError && e.code === 'EOUT_OWNER' &&
      /unknown user "no-such-user-ctmpl"/.test(e.message))
  assert.equal(await readFile(dest, 'utf8'), 'keep')
  assert.deepEqual(await leftovers(dir), [])
})

test('backup copies the previous file with its mode', async () => {
  const dest = join(dir, 'backup.conf')
  await writeFile(dest, 'v1', { mode: 0o600 })
  await chmod(dest, 0o600)
  const r = await installAtomically({ destination: dest, contents: 'v2', backup: true })
  assert.equal(r.backupPath, `${dest}.bak`)
  assert.equal(await readFile(`${dest}.bak`, 'utf8'), 'v1')
  assert.equal((await stat(`${dest}.bak`)).mode & 0o7777, 0o600)
  assert.equal(await readFile(dest, 'utf8'), 'v2')
  // The next backup replaces the first; no .old.bak stays behind.
  await installAtomically({ destination: dest, contents: 'v3', backup: true })
  assert.equal(await readFile(`${dest}.bak`, 'utf8'), 'v2')
  await assert.rejects(stat(`${dest}.old.bak`), { code: 'ENOENT' })
  // No previous file: no backup.
  const fresh = join(dir, 'backup-fresh.conf')
  const r2 = await installAtomically({ destination: fresh, contents: 'a', backup: true })
  assert.equal(r2.backupPath, undefined)
  await assert.rejects(stat(`${fresh}.bak`), { code: 'ENOENT' })
})

test('create_dest_dirs makes parents; off, it refuses', async () => {
  const deep = join(dir, 'a', 'b', 'c.conf')
  await installAtomically({ destination: deep, contents: 'x' })
  assert.equal(await readFile(deep, 'utf8'), 'x')
  assert.equal((await stat(join(dir, 'a'))).mode & 0o777, 0o755)
  const missing = join(dir, 'nope', 'c.conf')
  await assert.rejects(
    installAtomically({ destination: missing, contents: 'x', createDestDirs: false }),
    /directory .*nope does not exist \(create_dest_dirs is off\)/)
})

test('a failed rename leaves no temp file and the old file', async () => {
  // The destination is a non-empty directory: rename(2) fails with EISDIR
  // or ENOTEMPTY after the temp file was written.
  const dest = join(dir, 'isdir')
  await installAtomically({ destination: join(dest, 'inner'), contents: 'i' })
  await assert.rejects(installAtomically({ destination: dest, contents: 'x' }),
    (e: unknown) => e instanceof OutputError && e.code === 'EOUT_INSTALL')
  assert.deepEqual(await leftovers(dir), [])
  assert.equal(await readFile(join(dest, 'inner'), 'utf8'), 'i')
})

test('discarded stage leaves nothing behind', async () => {
  const dest = join(dir, 'discard.conf')
  const staged = await stageFile({ destination: dest, contents: 'x' })
  assert.ok(staged)
  assert.equal((await leftovers(dir)).length, 1)
  await discardStaged(staged)
  assert.deepEqual(await leftovers(dir), [])
  await assert.rejects(stat(dest), { code: 'ENOENT' })
})

test('restorePrevious puts back bytes, mode and owner, or removes', async () => {
  const dest = join(dir, 'restore.conf')
  await installAtomically({ destination: dest, contents: Buffer.from([0, 255, 10]),
    perms: 0o640, user: 65534 })
  const r = await installAtomically({ destination: dest, contents: 'bad', perms: 0o644,
    user: 0 })
  await restorePrevious(dest, r.previous)
  assert.deepEqual(await readFile(dest), Buffer.from([0, 255, 10]))
  const st = await stat(dest)
  assert.equal(st.mode & 0o7777, 0o640)
  assert.equal(st.uid, 65534)
  await restorePrevious(dest, null)
  await assert.rejects(stat(dest), { code: 'ENOENT' })
  assert.deepEqual(await leftovers(dir), [])
})

test('a concurrent reader never sees a partial file', async () => {
  const dest = join(dir, 'big.conf')
  const a = Buffer.alloc(1 << 20, 'a')
  const b = Buffer.alloc(1 << 20, 'b')
  await installAtomically({ destination: dest, contents: a })
  let stop = false
  let reads = 0
  const reader = (async () => {
    while (!stop) {
      const got = await readFile(dest)
      reads++
      assert.ok(got.equals(a) || got.equals(b), `torn read of ${got.length} bytes`)
    }
  })()
  for (let i = 0; i < 20; i++) {
    await installAtomically({ destination: dest, contents: i % 2 ? a : b })
  }
  stop = true
  await reader
  assert.ok(reads > 0)
})

test('a read-only folder gets advice about ReadWritePaths=', () => {
  const ro = join(dir, 'ro')
  mkdirSync(ro)
  const dest = join(ro, 'x.conf')
  const child = fileURLToPath(new URL('./install-child.ts', import.meta.url))
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
    'mount -t tmpfs -o ro ctmpl-ro "$1" && exec "$2" --import tsx "$3" "$4"', 'sh',
    ro, process.execPath, child, dest], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  const out = JSON.parse(r.stdout)
  assert.equal(out.ok, false)
  assert.equal(out.code, 'EOUT_INSTALL')
  assert.match(out.message, new RegExp(`read-only file system.* ${ro} is read-only ` +
    `for ctmpl: .*add ReadWritePaths=${ro} to that unit`, 's'))
})
