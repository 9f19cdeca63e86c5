/**
 * Sprig's path functions: Go's `path` package (base, dir, clean, ext,
 * isAbs) and `path/filepath` (the os* forms, identical on Unix).
 */
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { argString } from './convert.ts'

/** Cleans a slash path lexically as Go's path.Clean does. */
export function clean(p: string): string {
  if (p === '') return '.'
  const rooted = p.startsWith('/')
  const out: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop()
      else if (!rooted) out.push('..')
      continue
    }
    out.push(part)
  }
  const joined = out.join('/')
  if (rooted) return '/' + joined
  return joined === '' ? '.' : joined
}

/** Returns the last element of a path as Go's path.Base does. */
export function base(p: string): string {
  if (p === '') return '.'
  const trimmed = p.replace(/\/+$/, '')
  if (trimmed === '') return '/'
  return trimmed.slice(trimmed.lastIndexOf('/') + 1)
}

/** Returns all but the last element of a path as Go's path.Dir does. */
export function dir(p: string): string {
  return clean(p.slice(0, p.lastIndexOf('/') + 1))
}

/** Returns the extension of a path's last element as Go's path.Ext does. */
export function ext(p: string): string {
  for (let k = p.length - 1; k >= 0 && p[k] !== '/'; k--) {
    if (p[k] === '.') return p.slice(k)
  }
  return ''
}

/** Returns Sprig's path functions, keyed by their Sprig names. */
export function pathFuncs(): FuncMap {
  const s = argString
  const fns = {
    base: (x: unknown) => base(s(x)),
    dir: (x: unknown) => dir(s(x)),
    clean: (x: unknown) => clean(s(x)),
    ext: (x: unknown) => ext(s(x)),
    isAbs: (x: unknown) => s(x).startsWith('/'),
  }
  const out: FuncMap = {}
  for (const [name, fn] of Object.entries(fns)) {
    out[name] = defineFunc(fn, 1)
    out['os' + name[0]!.toUpperCase() + name.slice(1)] = defineFunc(fn, 1)
  }
  return out
}
