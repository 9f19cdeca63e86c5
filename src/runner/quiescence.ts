/**
 * Quiescence timers (`wait { min max }`): a burst of changes renders once.
 * Every tick restarts the `min` timer; the first tick of a burst also starts
 * the `max` timer, which is not restarted, so a template whose data never
 * settles still renders at least every `max`. Whichever fires first ends the
 * burst and calls `fire`.
 */
export class Quiescence {
  #minTimer: NodeJS.Timeout | undefined
  #maxTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly fire: () => void,
  ) {}

  /** Records one change. */
  tick(): void {
    if (this.#minTimer) clearTimeout(this.#minTimer)
    this.#minTimer = setTimeout(() => this.#done(), this.minMs)
    if (!this.#maxTimer && this.maxMs > 0) {
      this.#maxTimer = setTimeout(() => this.#done(), this.maxMs)
    }
  }

  /** Reports whether a burst is waiting to fire. */
  get pending(): boolean {
    return this.#minTimer !== undefined
  }

  /** Cancels a waiting burst without firing. */
  stop(): void {
    if (this.#minTimer) clearTimeout(this.#minTimer)
    if (this.#maxTimer) clearTimeout(this.#maxTimer)
    this.#minTimer = undefined
    this.#maxTimer = undefined
  }

  #done(): void {
    this.stop()
    this.fire()
  }
}
