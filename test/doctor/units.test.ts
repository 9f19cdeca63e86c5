import assert from 'node:assert/strict'
import { mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import {
  lastAssignment, listAssignments, loadUnit, normalizeUnitName, parseBoolean,
  parseUnitText, splitWords,
} from '../../src/doctor/units.ts'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const dirs = (name: string) => [join(fixtures, name, 'etc'), join(fixtures, name, 'lib')]

test('sections, comments, continuations and positions', () => {
  const text = [
    '# comment', '[Unit]', 'Description = web ', '', '[Service]',
    'ExecStart=/bin/a \\', '  # a comment inside the continuation', '  -b \\', '  -c',
    ';another', 'Empty=', 'NoEquals', 'Key=a=b',
  ].join('\n')
  const got = parseUnitText(text, 'u.service').map((a) =>
    [a.section, a.key, a.value, a.line])
  assert.deepEqual(got, [
    ['Unit', 'Description', 'web', 3],
    ['Service', 'ExecStart', '/bin/a  -b  -c', 6],
    ['Service', 'Empty', '', 11],
    ['Service', 'Key', 'a=b', 13],
  ])
})

test('booleans as systemd reads them', () => {
  for (const w of ['yes', 'true', '1', 'on', 'TRUE', 'y']) assert.equal(parseBoolean(w), true)
  for (const w of ['no', 'false', '0', 'off', 'No']) assert.equal(parseBoolean(w), false)
  assert.equal(parseBoolean('maybe'), null)
})

test('words with quotes', () => {
  assert.deepEqual(splitWords(`"a b" c 'd e'`), ['a b', 'c', 'd e'])
})

test('unit names get .service', () => {
  assert.equal(normalizeUnitName('nginx'), 'nginx.service')
  assert.equal(normalizeUnitName('nginx.service'), 'nginx.service')
  assert.equal(normalizeUnitName('tmp.mount'), 'tmp.mount')
})

test('a drop-in in /etc overrides the vendor unit', async () => {
  const u = await loadUnit('nginx', dirs('dropins'))
  assert.ok(u)
  assert.equal(u.path, join(fixtures, 'dropins/lib/nginx.service'))
  assert.deepEqual(u.dropIns, [join(fixtures, 'dropins/etc/nginx.service.d/override.conf')])
  const pt = lastAssignment(u, 'PrivateTmp')
  assert.deepEqual([pt?.value, pt?.file, pt?.line],
    ['yes', join(fixtures, 'dropins/etc/nginx.service.d/override.conf'), 3])
})

test('drop-ins: same name masks, lexical order applies', async () => {
  const u = await loadUnit('api.service', dirs('dropins'))
  assert.ok(u)
  assert.deepEqual(u.dropIns, [
    join(fixtures, 'dropins/lib/api.service.d/20-yes.conf'),
    join(fixtures, 'dropins/etc/api.service.d/50-private.conf'),
  ])
  assert.equal(lastAssignment(u, 'PrivateTmp')?.value, 'off')
})

test('empty assignments reset lists and single values', async () => {
  const u = await loadUnit('reset', dirs('sandbox'))
  assert.ok(u)
  assert.deepEqual(listAssignments(u, ['InaccessiblePaths']), [])
  const v = parseUnitText('[Service]\nPrivateTmp=yes\nPrivateTmp=\n', 'x')
  assert.equal(lastAssignment({ name: 'x', path: 'x', dropIns: [], masked: false,
    assignments: v }, 'PrivateTmp'), null)
  const l = parseUnitText('[Service]\nReadOnlyPaths=/a /b\nReadOnlyDirectories=/c\n', 'y')
  assert.deepEqual(listAssignments({ name: 'y', path: 'y', dropIns: [], masked: false,
    assignments: l }, ['ReadOnlyPaths', 'ReadOnlyDirectories']).map((i) => i.item),
  ['/a', '/b', '/c'])
})

test('missing units, masked units, template instances', async () => {
  assert.equal(await loadUnit('nope', dirs('dropins')), null)
  const d = await mkdtemp(join(tmpdir(), 'ctmpl-units-'))
  try {
    await symlink('/dev/null', join(d, 'masked.service'))
    const m = await loadUnit('masked', [d])
    assert.equal(m?.masked, true)
    assert.deepEqual(m?.assignments, [])
    await symlink(join(fixtures, 'reload/lib/nginx.service'), join(d, 'web@.service'))
    const inst = await loadUnit('web@blue.service', [d])
    assert.equal(inst?.name, 'web@blue.service')
    assert.ok(inst)
    assert.equal(lastAssignment(inst, 'ExecStart')?.value,
      '/usr/sbin/nginx -c /etc/nginx/nginx.conf')
  } finally {
    await rm(d, { recursive: true, force: true })
  }
})
