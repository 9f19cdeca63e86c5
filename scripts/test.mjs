// Runs the test suite: a full type check, then every test/**/*.test.ts file
// through node's test runner with tsx as the loader.
//   node scripts/test.mjs            everything
//   node scripts/test.mjs --unit     everything but test/e2e
//   node scripts/test.mjs PATH...    only the files or folders named
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const args = process.argv.slice(2)
const unitOnly = args.includes('--unit')
const noTypecheck = args.includes('--no-typecheck')
const named = args.filter((a) => !a.startsWith('--'))

function collect(path, out) {
  const st = statSync(path)
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out)
  } else if (path.endsWith('.test.ts')) {
    out.push(path)
  }
  return out
}

let files = named.length > 0
  ? named.flatMap((p) => collect(join(root, p), []))
  : collect(join(root, 'test'), [])
if (unitOnly) files = files.filter((f) => !relative(root, f).startsWith('test/e2e'))

let failed = false
if (!noTypecheck) {
  const tc = spawnSync(process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root, '--noEmit'],
    { stdio: 'inherit' })
  if (tc.status !== 0) {
    console.error('type check failed')
    failed = true
  }
}

const run = spawnSync(process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-reporter=spec',
  ...files.map((f) => relative(root, f)),
], { stdio: 'inherit', cwd: root })
if (run.status !== 0) failed = true
process.exit(failed ? 1 : 0)
