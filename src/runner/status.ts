/**
 * What each template last did: render, check, command and verify, each with
 * its time, result and the tail of its output. Printed on SIGUSR1 and kept
 * in a JSON file when `status_file` is set, so an operator (or a monitoring
 * probe) can tell "rendered and loaded" from "rendered and never seen".
 */
import { writeFile, rename } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'

/** One stage's last outcome. */
export interface StageStatus {
  time: string
  ok: boolean
  /** A one-line summary: bytes written, exit status, the mismatch found. */
  detail: string
  /** The last lines of the stage's output, if it had any. */
  output?: string
}

/** The status of one template. */
export interface TemplateStatus {
  id: string
  source: string
  destination: string
  /** Dependencies still without data, by canonical key. */
  missing: string[]
  render?: StageStatus
  check?: StageStatus
  command?: StageStatus
  verify?: StageStatus
}

type Stage = 'render' | 'check' | 'command' | 'verify'

/** Keeps every template's status and persists it when asked to. */
export class StatusBoard {
  readonly #templates = new Map<string, TemplateStatus>()
  #writing: Promise<void> = Promise.resolve()
  #dirty = false

  constructor(private readonly filePath?: string) {}

  /** Registers a template (or resets it after a reload). */
  add(id: string, source: string, destination: string): void {
    this.#templates.set(id, { id, source, destination, missing: [] })
  }

  /** Forgets templates that a reload removed. */
  retain(ids: Set<string>): void {
    for (const id of [...this.#templates.keys()]) {
      if (!ids.has(id)) this.#templates.delete(id)
    }
  }

  /** Records the dependencies a template still waits for. */
  setMissing(id: string, missing: string[]): void {
    const t = this.#templates.get(id)
    if (!t) return
    t.missing = missing
    this.#persist()
  }

  /** Records one stage's outcome. */
  record(id: string, stage: Stage, ok: boolean, detail: string, output?: string): void {
    const t = this.#templates.get(id)
    if (!t) return
    const s: StageStatus = { time: new Date().toISOString(), ok, detail }
    if (output) s.output = tail(output)
    t[stage] = s
    this.#persist()
  }

  /** Returns a copy of every template's status. */
  snapshot(): TemplateStatus[] {
    return [...this.#templates.values()].map((t) => structuredClone(t))
  }

  /** Waits for any pending write of the status file. */
  async flush(): Promise<void> {
    await this.#writing
  }

  /** Writes the file at most once at a time; changes during a write are
   * picked up by one more write right after it. */
  #persist(): void {
    if (!this.filePath || this.#dirty) return
    this.#dirty = true
    const path = this.filePath
    this.#writing = this.#writing.then(async () => {
      this.#dirty = false
      const body = JSON.stringify({ templates: this.snapshot() }, null, 2) + '\n'
      const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
      await writeFile(tmp, body, { mode: 0o644 })
      await rename(tmp, path)
    }).catch(() => {
      // A status file that cannot be written must not stop rendering; the
      // next change tries again.
    })
  }
}

/** Keeps the last 20 lines and at most 4 KiB of an output. */
export function tail(output: string): string {
  const lines = output.trimEnd().split('\n')
  const last = lines.slice(-20).join('\n')
  return last.length > 4096 ? last.slice(-4096) : last
}

/** Formats the board for a person (SIGUSR1). */
export function formatStatus(templates: TemplateStatus[]): string {
  const out: string[] = []
  for (const t of templates) {
    out.push(`template ${JSON.stringify(t.source)} => ${JSON.stringify(t.destination)}`)
    if (t.missing.length > 0) out.push(`  waiting for: ${t.missing.join(', ')}`)
    for (const stage of ['render', 'check', 'command', 'verify'] as const) {
      const s = t[stage]
      if (!s) continue
      out.push(`  ${stage.padEnd(8)}${s.ok ? 'ok  ' : 'FAIL'} ${s.time} ${s.detail}`)
    }
  }
  return out.join('\n')
}
