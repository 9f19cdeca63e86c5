// timestamp with Go's reference-time layouts, against a fixed UTC clock.
// Expected strings were printed by Go 1.26's time.Format for the same instant.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatGoTime, timeFuncs } from '../../src/functions/time.ts'

// 2009-11-10 23:04:05.123 UTC, a Tuesday, day 314 of the year.
const t = new Date(Date.UTC(2009, 10, 10, 23, 4, 5, 123))

const cases: Array<[string, string]> = [
  ['2006-01-02T15:04:05Z07:00', '2009-11-10T23:04:05Z'],
  ['2006-01-02', '2009-11-10'],
  ['Mon Jan _2 15:04:05 MST 2006', 'Tue Nov 10 23:04:05 UTC 2009'],
  ['Monday, 02-Jan-06 15:04:05 MST', 'Tuesday, 10-Nov-09 23:04:05 UTC'],
  ['January 2, 2006 3:04 PM', 'November 10, 2009 11:04 PM'],
  ['03:04:05pm', '11:04:05pm'],
  ['2006-01-02 15:04:05.000', '2009-11-10 23:04:05.123'],
  ['15:04:05.999999', '23:04:05.123'],
  ['15:04:05,000000', '23:04:05,123000'],
  ['-0700 -07:00 -07 Z0700 Z07:00', '+0000 +00:00 +00 Z Z'],
  ['002 __2', '314 314'],
  ['1/2/06', '11/10/09'],
  ['literal text', 'literal text'],
  ['Janet', 'Janet'],
  ['', ''],
  ['x.000', 'x.123'],
  ['a.999b', 'a.123b'],
]

for (const [layout, want] of cases) {
  test(`layout ${JSON.stringify(layout)}`, () => {
    assert.equal(formatGoTime(t, layout), want)
  })
}

test('timestamp defaults to RFC 3339 in UTC', () => {
  assert.equal(timeFuncs(() => t)['timestamp']!(), '2009-11-10T23:04:05Z')
})

test('timestamp "unix" gives seconds', () => {
  assert.equal(timeFuncs(() => t)['timestamp']!('unix'), '1257894245')
})

test('timestamp takes at most one layout', () => {
  assert.throws(() => timeFuncs(() => t)['timestamp']!('a', 'b'),
    { message: 'timestamp: wrong number of arguments, expected 0 or 1, but got 2' })
})

test('single-digit fields', () => {
  const early = new Date(Date.UTC(2024, 0, 5, 1, 2, 3))
  assert.equal(formatGoTime(early, '1 2 3 4 5 _2 01 02 03'), '1 5 1 2 3  5 01 05 01')
})
