import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  coveringMount, isUnderTmp, parseMountInfo, sameMount,
} from '../../src/output/mounts.ts'
import { VerifyError } from '../../src/output/errors.ts'
import { verifyConsumer } from '../../src/output/verify.ts'
import { tmpDestinationWarning } from '../../src/output/warnings.ts'
import { removeScratch, scratchOutsideTmp } from './nginx.ts'

const sample = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
  '30 22 0:25 / /tmp rw,nosuid shared:5 - tmpfs tmpfs rw',
  '31 22 8:1 /srv/with\\040space /mnt/a\\040b ro,relatime - ext4 /dev/sda1 rw',
  '32 30 0:40 / /tmp rw - tmpfs private-tmp rw',
].join('\n')

test('mountinfo: fields, escapes, stacked mounts', () => {
  const m = parseMountInfo(sample)
  assert.equal(m.length, 4)
  assert.deepEqual(m[2], { device: '8:1', root: '/srv/with space', mountPoint: '/mnt/a b',
    options: ['ro', 'relatime'], fsType: 'ext4', source: '/dev/sda1' })
  assert.equal(coveringMount(m, '/tmp/x.conf')?.source, 'private-tmp')
  assert.equal(coveringMount(m, '/tmpfoo')?.mountPoint, '/')
  assert.equal(coveringMount(m, '/mnt/a b/c')?.root, '/srv/with space')
  assert.equal(sameMount(m[1]!, m[3]!), false)
  assert.equal(sameMount(m[0]!, { ...m[0]! }), true)
})

test('tmp detection and the start-up warning', () => {
  for (const p of ['/tmp', '/tmp/a', '/var/tmp/b']) assert.equal(isUnderTmp(p), true, p)
  for (const p of ['/tmpx', '/var/tmpx/a', '/etc/nginx/a']) {
    assert.equal(isUnderTmp(p), false, p)
  }
  assert.equal(tmpDestinationWarning('/etc/nginx/up.conf'), null)
  assert.match(tmpDestinationWarning('/var/tmp/up.conf') ?? '',
    new RegExp('^destination /var/tmp/up\\.conf is under /var/tmp: a consumer ' +
      'whose systemd unit has PrivateTmp=true'))
})

test('a mount over the destination in the consumer names that mount', async () => {
  const scratch = await scratchOutsideTmp()
  const hidden = join(scratch, 'hidden')
  await mkdir(hidden)
  const dest = join(hidden, 'x.conf')
  await writeFile(dest, 'rendered')
  // A process whose namespace has a tmpfs over `hidden`, as
  // TemporaryFileSystem= or InaccessiblePaths= would set up.
  const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
    `mount -t tmpfs -o ro ctmpl-cover "${hidden}" && exec sleep 30`], { stdio: 'ignore' })
  try {
    let err: unknown
    for (let i = 0; i < 50; i++) {
      await sleep(20)
      err = await verifyConsumer({ destination: dest, expected: 'rendered',
        pid: child.pid ?? 0 }).then(() => null, (e: unknown) => e)
      if (err) break
    }
    assert.ok(err instanceof VerifyError, String(err))
    assert.equal(err.code, 'EVERIFY_MISSING')
    assert.match(err.message, new RegExp(`\\) ${hidden} is a separate read-only tmpfs ` +
      'mount \\(source ctmpl-cover\\): a bind mount, TemporaryFileSystem='))
  } finally {
    child.kill('SIGKILL')
    await new Promise((ok) => child.once('exit', ok))
    await removeScratch(scratch)
  }
})
