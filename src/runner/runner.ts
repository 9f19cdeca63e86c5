/**
 * The runner: executes templates against the data the watcher delivers,
 * installs what changed and runs the commands that make consumers load it.
 *
 * What differs from the reference, on purpose: a change re-executes only
 * the templates that read the changed dependency (the reference re-executes
 * all of them), and quiescence timers only re-run their own template.
 * Templates that call `timestamp` or `env` therefore re-read those only
 * when one of their Consul dependencies changes.
 */
import type { Config, TemplateConfig } from '../config/types.ts'
import type { Logger } from '../shared/logger.ts'
import { TemplateError } from '../template/index.ts'
import { describeTemplate, loadUnit, TemplateUnit } from './unit.ts'
import { StatusBoard } from './status.ts'
import { executeWith } from './execute.ts'
import type { WatchPort } from './watch-port.ts'
import type { Dependency } from '../dependency/index.ts'
import { deliver, type Delivery } from './deliver.ts'
import { recoverInterrupted } from '../output/index.ts'

/** Everything the runner needs from outside. */
export interface RunnerInput {
  config: Config
  once: boolean
  dry: boolean
  logger: Logger
  watch: WatchPort
  /** Where -dry prints renders; standard output by default. */
  dryOut?: NodeJS.WritableStream
  /** ctmpl's environment, which commands and checks inherit. */
  env: NodeJS.ProcessEnv
  /** The CONSUL_HTTP_* variables commands and checks get on top. */
  consulEnv: Record<string, string>
  status: StatusBoard
}

/** Why a runner stopped by itself. */
export class RunnerError extends Error {
  override name = 'RunnerError'
}

/** Renders templates as data arrives; see the module comment. */
export class Runner {
  readonly #in: RunnerInput
  readonly #log: Logger
  #units: TemplateUnit[] = []
  /** Dependency key → the units that used it in their last execution. */
  readonly #byDep = new Map<string, Set<TemplateUnit>>()
  readonly #dirty = new Set<TemplateUnit>()
  #flushing: Promise<void> | undefined
  #flushAgain = false
  #stopped = false
  #allRendered = false
  #settle!: (err?: Error) => void
  /** Called after every flush in which some template changed on disk, and
   * after the first flush in which every template is in place. */
  onRendered: ((changed: TemplateUnit[]) => void) | undefined
  /** Resolves when once mode finished, rejects on a fatal error. */
  readonly done: Promise<void>

  constructor(input: RunnerInput) {
    this.#in = input
    this.#log = input.logger.child({ component: 'runner' })
    this.done = new Promise<void>((resolve, reject) => {
      this.#settle = (err) => (err ? reject(err) : resolve())
    })
    // A rejected `done` that nobody awaits yet must not crash the process.
    this.done.catch(() => {})
  }

  /** The units, for status and exec mode. */
  get units(): readonly TemplateUnit[] {
    return this.#units
  }

  /** Parses every template and starts the first render pass. Parse errors
   * reject: the daemon must not start with half its templates. */
  async start(): Promise<void> {
    const { config, once, dry } = this.#in
    this.#log.info(`creating new runner (dry: ${dry}, once: ${once})`)
    this.#units = await this.#loadUnits(config.templates)
    this.#in.watch.onData((key) => this.#onData(key))
    this.#in.watch.onError((err, fatal) => this.#onWatchError(err, fatal))
    this.#log.debug('running initial templates')
    for (const u of this.#units) this.#dirty.add(u)
    this.#schedule()
  }

  /** Stops timers and watches; in-flight commands finish on their own. */
  async stop(): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    this.#log.info('stopping')
    for (const u of this.#units) u.quiescence?.stop()
    await this.#in.watch.stop()
    await this.#flushing
    await this.#in.status.flush()
    this.#settle()
  }

  async #loadUnits(configs: TemplateConfig[]): Promise<TemplateUnit[]> {
    const units: TemplateUnit[] = []
    for (const [i, c] of configs.entries()) {
      let unit: TemplateUnit
      try {
        unit = await loadUnit(String(i), c)
      } catch (err) {
        throw new RunnerError(`${c.source ?? 'contents'}: parse: ${messageOf(err)}`,
          { cause: err })
      }
      if (!this.#in.dry) await this.#recover(c)
      unit.armQuiescence(this.#in.once, () => this.#enqueue(unit))
      this.#in.status.add(unit.id, c.source ?? '(contents)', c.destination)
      units.push(unit)
    }
    return units
  }

  /** Puts back a file that a killed ctmpl left unproven (installed, its
   * check or verify not finished). */
  async #recover(c: TemplateConfig): Promise<void> {
    if (!c.destination) return
    try {
      const what = await recoverInterrupted(c.destination)
      if (what !== 'none') {
        this.#log.warn(`${describeTemplate(c)}: a previous run stopped before the file ` +
          `was proven; ${what === 'restored' ? 'restored the file it replaced'
            : 'removed the unproven file'}`)
      }
    } catch (err) {
      this.#log.error(`${describeTemplate(c)}: could not recover an interrupted install: ${
        messageOf(err)}`)
    }
  }

  #onData(key: string): void {
    const users = this.#byDep.get(key)
    if (!users) return
    for (const u of users) {
      u.reason = `${key} changed`
      if (u.quiescence && u.rendered) u.quiescence.tick()
      else this.#enqueue(u)
    }
  }

  #onWatchError(err: Error, fatal: boolean): void {
    if (!fatal) {
      this.#log.warn({ error: err.message }, 'watch error; retrying')
      return
    }
    this.#fail(err)
  }

  #enqueue(u: TemplateUnit): void {
    this.#dirty.add(u)
    this.#schedule()
  }

  /** Batches everything that arrives in one turn of the event loop into
   * one flush; a flush in progress is followed by one more. */
  #schedule(): void {
    if (this.#stopped) return
    if (this.#flushing) {
      this.#flushAgain = true
      return
    }
    this.#flushing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#flush())
      .catch((err: unknown) => this.#fail(err instanceof Error ? err : new Error(String(err))))
      .finally(() => {
        this.#flushing = undefined
        if (this.#flushAgain && !this.#stopped) {
          this.#flushAgain = false
          this.#schedule()
        }
      })
  }

  async #flush(): Promise<void> {
    const batch = [...this.#dirty]
    this.#dirty.clear()
    const ready: Delivery[] = []
    for (const u of batch) {
      const d = this.#execute(u)
      if (d) ready.push(d)
    }
    if (ready.length > 0) {
      const changed = await deliver(ready, {
        dry: this.#in.dry, once: this.#in.once, dryOut: this.#in.dryOut ?? process.stdout,
        env: this.#in.env, consulEnv: this.#in.consulEnv, logger: this.#log,
        status: this.#in.status,
      })
      const first = !this.#allRendered && this.#units.every((u) => u.rendered)
      if (first) this.#allRendered = true
      if (changed.length > 0 || first) this.onRendered?.(changed)
    }
    this.#checkOnce()
  }

  /** Executes one unit; returns its output when every dependency had data. */
  #execute(u: TemplateUnit): Delivery | undefined {
    this.#log.debug(`checking template ${describeTemplate(u.config)}`)
    const res = executeWith(u.template, u.binding, this.#in.watch.recorder(), u.config)
    this.#updateDeps(u, res.used)
    u.missing = new Set(res.missing)
    this.#in.status.setMissing(u.id, [...res.missing])
    if (res.error) {
      this.#renderError(u, res.error)
      return undefined
    }
    if (res.missing.length > 0) {
      this.#log.debug(`${describeTemplate(u.config)}: missing data for ${
        res.missing.length} dependencies`)
      return undefined
    }
    return { unit: u, output: res.output! }
  }

  #renderError(u: TemplateUnit, err: Error): void {
    const msg = `${u.name}: execute: ${messageOf(err)}`
    this.#in.status.record(u.id, 'render', false, msg)
    // Once mode cannot finish without this template: fail rather than wait.
    if (u.config.errorFatal || this.#in.once) {
      this.#fail(new RunnerError(msg, { cause: err }))
      return
    }
    this.#log.error({ template: u.name, destination: u.config.destination }, msg)
  }

  /** Keeps dependency → unit links current and tells the watcher which
   * views to start and which no template needs any more. */
  #updateDeps(u: TemplateUnit, used: Dependency[]): void {
    const next = new Set<string>()
    for (const dep of used) {
      next.add(dep.key)
      let users = this.#byDep.get(dep.key)
      if (!users) this.#byDep.set(dep.key, users = new Set())
      users.add(u)
      this.#in.watch.watch(dep)
    }
    for (const key of u.used) {
      if (next.has(key)) continue
      const users = this.#byDep.get(key)
      users?.delete(u)
      if (users && users.size === 0) {
        this.#byDep.delete(key)
        this.#in.watch.unwatch(key)
      }
    }
    u.used = next
  }

  #checkOnce(): void {
    if (!this.#in.once || this.#stopped) return
    if (this.#units.every((u) => u.rendered)) {
      this.#log.info('once mode and all templates rendered')
      void this.stop()
    }
  }

  #fail(err: Error): void {
    if (this.#stopped) return
    this.#stopped = true
    for (const u of this.#units) u.quiescence?.stop()
    void this.#in.watch.stop()
    this.#settle(err)
  }
}

/** Returns an error's message, or the value as text. */
export function messageOf(err: unknown): string {
  if (err instanceof TemplateError) return err.message
  return err instanceof Error ? err.message : String(err)
}
