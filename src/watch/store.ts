/**
 * The store ("brain"): the latest data of every watched dependency, by
 * canonical key. A key is present once its view delivered; `null` is a
 * legitimate value (kv.get of a missing key), so recall answers with a box.
 */

/** A recalled value. */
export interface Recalled<T = unknown> {
  data: T
}

/** Latest data per dependency key. */
export class Store {
  readonly #data = new Map<string, unknown>()
  #version = 0

  /** Stores data for a key (replacing what was there). */
  remember(key: string, data: unknown): void {
    this.#data.set(key, data)
    this.#version++
  }

  /** Returns the data for a key, or undefined if none arrived yet. */
  recall<T = unknown>(key: string): Recalled<T> | undefined {
    if (!this.#data.has(key)) return undefined
    return { data: this.#data.get(key) as T }
  }

  /** Reports whether data for the key has arrived. */
  has(key: string): boolean {
    return this.#data.has(key)
  }

  /** Drops a key (its view was removed). */
  forget(key: string): void {
    if (this.#data.delete(key)) this.#version++
  }

  /** Keys with data. */
  keys(): string[] {
    return [...this.#data.keys()]
  }

  /** Increases on every change; lets a caller skip work when nothing moved. */
  get version(): number {
    return this.#version
  }
}
