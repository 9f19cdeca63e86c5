/**
 * The store ("brain"): the latest data of every watched dependency, by
 * canonical key. A key is present once its view delivered; `null` is a
 * legitimate value (kv.get of a missing key), so recall answers with a box.
 */

/** A recalled value (shared: do not modify). */
export interface Recalled<T = unknown> {
  readonly data: T
}

/** Latest data per dependency key. */
export class Store {
  // Boxes are made once per delivery, so recall allocates nothing.
  readonly #data = new Map<string, Recalled>()
  #version = 0

  /** Stores data for a key (replacing what was there). */
  remember(key: string, data: unknown): void {
    this.#data.set(key, { data })
    this.#version++
  }

  /** Returns the data for a key, or undefined if none arrived yet. */
  recall<T = unknown>(key: string): Recalled<T> | undefined {
    return this.#data.get(key) as Recalled<T> | undefined
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
