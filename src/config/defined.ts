/** A helper every block's finalize uses. */

/** Drops undefined fields so spreading over defaults keeps the defaults. */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
