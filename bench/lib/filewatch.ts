/**
 * Watches rendered files and timestamps when a token shows up in them:
 * inotify (fs.watch on the folder) with a 2 ms poll as a safety net, one
 * monotonic clock for the whole harness.
 */
import { watch, readFileSync, type FSWatcher } from 'node:fs'
import { join } from 'node:path'

/** Nanoseconds on the harness's monotonic clock. */
export const now = (): bigint => process.hrtime.bigint()

interface Waiter {
  path: string
  test: (text: string) => boolean
  resolve: (t: bigint) => void
}

/** Watches every file in one folder. */
export class FolderWatch {
  readonly #watcher: FSWatcher
  readonly #poll: NodeJS.Timeout
  readonly #waiters = new Set<Waiter>()
  readonly #last = new Map<string, string>()
  /** Content changes seen per file name. */
  readonly changes = new Map<string, number>()

  constructor(readonly dir: string) {
    this.#watcher = watch(dir, (_event, name) => {
      // Count every rendered file's changes, not only the awaited ones;
      // dot-files are the writers' temp and guard files.
      if (name && !name.startsWith('.')) this.#read(join(dir, name), new Map())
      this.#check()
    })
    this.#poll = setInterval(() => this.#check(), 2)
  }

  /** Resolves with the time `test` first held for the file's contents. */
  waitFor(path: string, test: (text: string) => boolean, timeoutMs = 30_000): Promise<bigint> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(w)
        reject(new Error(`timed out waiting for ${path}`))
      }, timeoutMs)
      const w: Waiter = { path, test, resolve: (t) => { clearTimeout(timer); resolve(t) } }
      this.#waiters.add(w)
      this.#check()
    })
  }

  /** Total content changes across all files. */
  totalChanges(): number {
    let n = 0
    for (const v of this.changes.values()) n += v
    return n
  }

  close(): void {
    this.#watcher.close()
    clearInterval(this.#poll)
  }

  /** Reads a file (once per check) and counts a change of its contents. */
  #read(path: string, seen: Map<string, string>): string {
    let text = seen.get(path)
    if (text === undefined) {
      try {
        text = readFileSync(path, 'utf8')
      } catch {
        text = ''
      }
      seen.set(path, text)
      if (this.#last.get(path) !== text) {
        this.#last.set(path, text)
        this.changes.set(path, (this.changes.get(path) ?? 0) + 1)
      }
    }
    return text
  }

  #check(): void {
    const t = now()
    const seen = new Map<string, string>()
    for (const w of [...this.#waiters]) {
      if (w.test(this.#read(w.path, seen))) {
        this.#waiters.delete(w)
        w.resolve(t)
      }
    }
  }
}
