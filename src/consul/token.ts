/**
 * The ACL token source. A token file wins over a literal token, as in
 * Consul's Go client; unlike that client (which reads the file once), ctmpl
 * reads it again when its size or modification time changes, at most once a
 * second, so a rotated token is picked up without a restart.
 */
import { readFileSync, statSync } from 'node:fs'
import { stat, readFile } from 'node:fs/promises'
import { ConsulError } from './errors.ts'

const recheckMs = 1_000

/** Supplies the current token; `current()` never throws after start-up. */
export class TokenSource {
  #token: string
  readonly #file: string | undefined
  #signature = ''
  #checkedAt = 0
  #pending: Promise<void> | undefined

  /** Reads the token file now, so a missing file fails at start-up. */
  constructor(token: string | undefined, file: string | undefined) {
    this.#token = token ?? ''
    this.#file = file || undefined
    if (!this.#file) return
    try {
      const st = statSync(this.#file)
      this.#signature = `${st.size}:${st.mtimeMs}`
      this.#apply(readFileSync(this.#file, 'utf8'))
    } catch (err) {
      throw new ConsulError(
        `Error loading token file ${this.#file} : ${(err as Error).message}`,
        'ECONSUL_CONFIG', {}, { cause: err })
    }
    this.#checkedAt = Date.now()
  }

  /** Returns the token to send, re-reading a changed token file first. */
  async current(): Promise<string> {
    if (this.#file && Date.now() - this.#checkedAt >= recheckMs) {
      this.#pending ??= this.#refresh().finally(() => { this.#pending = undefined })
      await this.#pending
    }
    return this.#token
  }

  async #refresh(): Promise<void> {
    const file = this.#file as string
    this.#checkedAt = Date.now()
    try {
      const st = await stat(file)
      const sig = `${st.size}:${st.mtimeMs}`
      if (sig === this.#signature) return
      this.#apply(await readFile(file, 'utf8'))
      this.#signature = sig
    } catch {
      // A file briefly missing while it is being replaced keeps the last
      // good token; the agent will say 403 if that token is no longer valid.
    }
  }

  #apply(text: string): void {
    const t = text.trim()
    if (t !== '') this.#token = t
  }
}
