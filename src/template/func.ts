/**
 * The contract between the executor and the functions a template calls.
 *
 * A function takes Go values (see value.ts) and returns one. It reports a Go
 * error by throwing; the executor wraps the message as Go does
 * (`error calling NAME: MESSAGE`). Go checks arity from the function's type;
 * a JS function says its arity with `defineFunc`, and the executor then
 * reports `wrong number of args for NAME: want N got M` as Go would.
 */

// Arguments are Go values of any kind; each function checks its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GoFunc = ((...args: any[]) => unknown) & { goArity?: GoArity }

/** The number of parameters a function takes; with `variadic`, the last
 * one repeats zero or more times (so `params` counts it, like Go's NumIn). */
export interface GoArity {
  params: number
  variadic: boolean
}

/** Functions a template may call, by name. */
export type FuncMap = Record<string, GoFunc>

/** Attaches Go arity to a function and returns it. */
export function defineFunc<F extends GoFunc>(fn: F, params: number, variadic = false): F {
  fn.goArity = { params, variadic }
  return fn
}

/** What a function throws for an argument Go would have refused before the
 * call, from its declared parameter type: code 'EGOARGTYPE', the
 * parameter's Go type and the argument itself. The executor then reports
 * it at that argument, as Go does, without "error calling NAME:". */
export interface GoArgTypeFault {
  code: 'EGOARGTYPE'
  message: string
  want: string
  value: unknown
  arg?: number // the argument's index, when the value alone is ambiguous
}

/** Reports whether a thrown value is a GoArgTypeFault. */
export function isGoArgTypeFault(e: unknown): e is GoArgTypeFault {
  return e instanceof Error && (e as { code?: unknown }).code === 'EGOARGTYPE' &&
    typeof (e as { want?: unknown }).want === 'string'
}
