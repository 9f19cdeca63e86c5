// Run by install.test.ts inside `unshare -m` with a read-only mount over the
// destination's folder: argv = destination. Prints the error as JSON.
import { installAtomically } from '../../src/output/install.ts'
import { OutputError } from '../../src/output/errors.ts'

try {
  await installAtomically({ destination: process.argv[2]!, contents: 'x' })
  process.stdout.write(JSON.stringify({ ok: true }))
} catch (err) {
  const e = err as OutputError
  process.stdout.write(JSON.stringify({ ok: false, code: e.code, message: e.message }))
}
