/**
 * file: a local file watched by polling its size and modification time
 * every 2 s (the reference polls too, at that interval). The first fetch
 * answers at once; later ones wait for a change. The template function
 * resolves the path (and checks `sandbox_path`) before making the
 * dependency, so the key names the path actually read.
 */
import { readFile, stat } from 'node:fs/promises'
import { posix } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { invalidFormat } from './grammar.ts'
import { readFileInSandbox } from './sandbox.ts'
import { timing, wrapFetchError } from './types.ts'
import type { Dependency, FetchContext, FetchOptions, FetchResult } from './types.ts'

/** A watched local file. */
export class FileDependency implements Dependency<string> {
  readonly kind = 'local'
  readonly key: string

  /** `sandboxPath`, when set, is enforced again at every read (a link
   * swapped in after the render-time check is refused). */
  constructor(readonly path: string, readonly sandboxPath?: string) {
    if (path === '') throw invalidFormat('file', path)
    this.key = `file(${path})`
  }

  /** Waits until the file differs from the last stat seen by this view,
   * then reads it. A missing file is an error (fatal, as in the
   * reference: local dependencies are not retried). */
  async fetch(ctx: FetchContext, opts: FetchOptions): Promise<FetchResult<string>> {
    const last = opts.state.stat as string | undefined
    const pollMs = timing(ctx, 'filePollMs')
    try {
      for (;;) {
        const st = await stat(this.path)
        const sig = `${st.size}:${st.mtimeMs}`
        if (sig !== last) {
          ctx.logger?.trace(`${this.key}: reported change`)
          const data = this.sandboxPath
            ? await readFileInSandbox(this.path, this.sandboxPath)
            : await readFile(this.path, 'utf8')
          opts.state.stat = sig
          // The reference's index is the time in seconds, so two changes in
          // one second looked like none; keep it strictly increasing.
          const index = Math.max(Math.floor(Date.now() / 1000), opts.index + 1)
          return { data, index, lastContactMs: 0 }
        }
        await sleep(pollMs, undefined, { signal: opts.signal })
      }
    } catch (err) {
      throw wrapFetchError(this.key, err)
    }
  }
}

/** Cleans a path as Go's filepath.Clean (no trailing slash, "" → "."). */
export function cleanPath(p: string): string {
  if (p === '') return '.'
  const n = posix.normalize(p)
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n
}
