/**
 * Sprig's default, flow-control and reflection functions.
 */
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { argBool, argString, kindName, typeName } from './convert.ts'
import { deepEqual, isEmpty } from './values.ts'

const s = argString

/** Returns Sprig's defaults, flow and reflection functions by Sprig name. */
export function defaultFuncs(): FuncMap {
  return {
    default: defineFunc((d: unknown, ...given: unknown[]) =>
      (given.length === 0 || isEmpty(given[0]) ? d : given[0]), 2, true),
    empty: defineFunc((v) => isEmpty(v), 1),
    coalesce: defineFunc((...xs: unknown[]) => xs.find((x) => !isEmpty(x)) ?? null, 1, true),
    all: defineFunc((...xs: unknown[]) => xs.every((x) => !isEmpty(x)), 1, true),
    any: defineFunc((...xs: unknown[]) => xs.some((x) => !isEmpty(x)), 1, true),
    ternary: defineFunc((t, f, c) => (argBool(c) ? t : f), 3),
    fail: defineFunc((msg) => {
      throw new Error(s(msg))
    }, 1),
    typeOf: defineFunc((v) => typeName(v), 1),
    typeIs: defineFunc((t, v) => s(t) === typeName(v), 2),
    typeIsLike: defineFunc((t, v) => {
      const want = s(t)
      const have = typeName(v)
      return want === have || '*' + want === have
    }, 2),
    kindOf: defineFunc((v) => kindName(v), 1),
    kindIs: defineFunc((t, v) => s(t) === kindName(v), 2),
    deepEqual: defineFunc((a, b) => deepEqual(a, b), 2),
  }
}
