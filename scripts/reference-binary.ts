/**
 * Finds the reference consul-template v0.42.1: $CTMPL_REFERENCE (set by
 * .ci/run), then $GOPATH/bin, Go's default install folder, then PATH. The
 * one lookup every test, fixture script and benchmark uses.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Returns the reference binary's path, or undefined when not installed. */
export function referenceBinary(): string | undefined {
  const candidates = [
    process.env.CTMPL_REFERENCE,
    process.env.GOPATH && join(process.env.GOPATH, 'bin', 'consul-template'),
    join(homedir(), 'go', 'bin', 'consul-template'),
    ...(process.env.PATH ?? '').split(':').map((d) => d && join(d, 'consul-template')),
  ]
  return candidates.find((c): c is string => !!c && existsSync(c))
}
