/**
 * Reading request bodies the way Go's encoding/json does for Consul's
 * structs: field names match case-insensitively, and snake_case aliases
 * (`enable_tag_override`) are accepted too.
 */
import { HTTPError } from './types.ts'

const fold = (k: string): string => k.replace(/_/g, '').toLowerCase()

/** Returns the value of `name` in `obj`, matching keys loosely. */
export function field(obj: unknown, name: string): unknown {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined
  const rec = obj as Record<string, unknown>
  if (name in rec) return rec[name]
  const want = fold(name)
  for (const k of Object.keys(rec)) if (fold(k) === want) return rec[k]
  return undefined
}

/** Reads an optional string field; wrong types are a decode error. */
export function str(obj: unknown, name: string): string | undefined {
  const v = field(obj, name)
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw decodeError(name, 'string', v)
  return v
}

/** Reads an optional integer field. */
export function int(obj: unknown, name: string): number | undefined {
  const v = field(obj, name)
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v)) throw decodeError(name, 'int', v)
  return v
}

/** Reads an optional boolean field. */
export function bool(obj: unknown, name: string): boolean | undefined {
  const v = field(obj, name)
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw decodeError(name, 'bool', v)
  return v
}

/** Reads an optional list of strings. */
export function strList(obj: unknown, name: string): string[] | undefined {
  const v = field(obj, name)
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw decodeError(name, '[]string', v)
  }
  return v as string[]
}

/** Reads an optional object with string values. */
export function strMap(obj: unknown, name: string): Record<string, string> | undefined {
  const v = field(obj, name)
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)
    || Object.values(v).some((x) => typeof x !== 'string')) {
    throw decodeError(name, 'map[string]string', v)
  }
  return v as Record<string, string>
}

/** Reads an optional plain object. */
export function obj(o: unknown, name: string): Record<string, unknown> | undefined {
  const v = field(o, name)
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)) throw decodeError(name, 'object', v)
  return v as Record<string, unknown>
}

/** Parses a JSON request body; a bad body is Consul's 400 decode error. */
export function parseBody(body: Buffer): unknown {
  if (body.length === 0) return undefined
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw new HTTPError(400, `Request decode failed: ${(err as Error).message}`)
  }
}

function decodeError(name: string, want: string, v: unknown): HTTPError {
  const got = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v
  return new HTTPError(400,
    'Request decode failed: json: cannot unmarshal '
      + `${got} into Go struct field .${name} of type ${want}`)
}
