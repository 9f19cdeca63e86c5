/**
 * The parse* helpers: Go's strconv parsers behind the reference's names,
 * where an empty string parses as the zero value.
 */
import { float } from '../template/value.ts'
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asString } from './args.ts'
import { parseFloat64, parseGoBool, parseInt64, parseUint64 } from './strconv.ts'

function wrapped<T>(name: string, zero: T, parse: (s: string) => T) {
  return defineFunc((s: unknown): T => {
    const text = asString(s)
    if (text === '') return zero
    try {
      return parse(text)
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`, { cause: err })
    }
  }, 1)
}

/** Returns the parse* helpers, keyed by template name. */
export function parseFuncs(): FuncMap {
  return {
    parseBool: wrapped('parseBool', false, parseGoBool),
    parseInt: wrapped<number | bigint>('parseInt', 0, parseInt64),
    parseUint: wrapped<number | bigint>('parseUint', 0, parseUint64),
    parseFloat: wrapped('parseFloat', float(0), parseFloat64),
  }
}
