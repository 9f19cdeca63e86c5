/**
 * Issue 7, `ctmpl doctor` as an operator runs it: the real CLI
 * (src/cli/main.ts) in a child process, human-readable output. test/doctor
 * already runs the process with `-format json` and on the clean fixture;
 * this covers the explanation a person reads, and the fix it proposes
 * (a drop-in with PrivateTmp=no) turning the same story clean.
 */
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { repoRoot, startCtmpl, tempDir } from '../helpers/process.ts'

const story = join(repoRoot, 'test', 'doctor', 'fixtures', 'story')
const args = ['doctor', '-config', join(story, 'ctmpl.hcl')]

async function doctor(extra: string[]): Promise<{ code: number, out: string, err: string }> {
  const p = startCtmpl([...args, ...extra])
  const code = await p.exited
  return { code, out: p.stdout(), err: p.stderr() }
}

test('ctmpl doctor explains the story and exits 1; the proposed drop-in makes it exit 0',
  { timeout: 30_000 }, async (t) => {
    const etc = tempDir('ctmpl-doctor-etc-')
    t.after(() => etc.remove())
    const lib = join(story, 'lib')

    const found = await doctor(['-unit-dir', lib])
    assert.equal(found.code, 1, found.out + found.err)
    assert.equal(found.err, '')
    const lines = found.out.split('\n')
    assert.match(lines[0]!, /^ctmpl doctor: 1 problem found \(units read: .*nginx\.service\)$/)
    assert.ok(lines.includes(`[consumer-private-tmp] /tmp/upstream.conf (template at ${
      join(story, 'ctmpl.hcl')}:2)`), found.out)
    const why = lines.find((l) => l.includes('nginx.service has PrivateTmp=true')) ?? ''
    assert.match(why, /never sees \/tmp\/upstream\.conf, although the render and the reload/)
    assert.ok(lines.includes(`  cause: ${join(lib, 'nginx.service')}:12  PrivateTmp=true`),
      found.out)
    const fix = lines.find((l) => l.startsWith('  fix:')) ?? ''
    assert.match(fix, /render outside \/tmp and \/var\/tmp/)
    const dropIn = /PrivateTmp=no in a drop-in (\S+)\/nginx\.service\.d\/override\.conf/
    assert.match(fix, dropIn)

    // Follow the advice: the drop-in, in a folder that plays /etc.
    mkdirSync(join(etc.path, 'nginx.service.d'))
    writeFileSync(join(etc.path, 'nginx.service.d', 'override.conf'),
      '[Service]\nPrivateTmp=no\n')
    const clean = await doctor(['-unit-dir', etc.path, '-unit-dir', lib])
    assert.equal(clean.code, 0, clean.out + clean.err)
    assert.match(clean.out, /^ctmpl doctor: no problems found \(1 template; units read: /)
  })
