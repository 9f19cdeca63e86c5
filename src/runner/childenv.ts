/**
 * The environment of exec-mode children: the `env {}` block (pristine,
 * custom, allowlist, denylist) with Go's filepath.Match globs, as
 * consul-template v0.42.1 computes it. Template commands take the same block.
 */

/** The `env {}` block of `exec {}`. */
export interface ExecEnv {
  /** Start from an empty environment instead of ctmpl's own. */
  pristine?: boolean
  /** `KEY=VALUE` entries added last; they win and ignore the lists. */
  custom?: readonly string[]
  /** Glob patterns (Go's filepath.Match) of inherited names to keep. */
  allowlist?: readonly string[]
  /** Glob patterns of inherited names to drop; wins over allowlist. */
  denylist?: readonly string[]
}

/** A compiled glob element. */
type GlobToken =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; ch: string }
  | { kind: 'class'; negated: boolean; ranges: [number, number][] }

/**
 * Compiles a pattern of Go's filepath.Match (`*`, `?`, `[...]`, `[^...]`,
 * ranges, backslash escapes). Returns null for a malformed pattern, which
 * the reference treats as "no match".
 */
function compileGlob(pattern: string): GlobToken[] | null {
  const cps = Array.from(pattern)
  const out: GlobToken[] = []
  let i = 0
  const escaped = (): string | null => {
    let c = cps[i]
    if (c === undefined || c === '-' || c === ']') return null
    if (c === '\\') c = cps[++i]
    if (c === undefined) return null
    i++
    return c
  }
  while (i < cps.length) {
    const c = cps[i++] as string
    if (c === '*') {
      if (out.at(-1)?.kind !== 'star') out.push({ kind: 'star' })
    } else if (c === '?') {
      out.push({ kind: 'any' })
    } else if (c === '\\') {
      const next = cps[i++]
      if (next === undefined) return null
      out.push({ kind: 'char', ch: next })
    } else if (c === '[') {
      const negated = cps[i] === '^'
      if (negated) i++
      const ranges: [number, number][] = []
      for (;;) {
        if (cps[i] === ']' && ranges.length > 0) { i++; break }
        const lo = escaped()
        if (lo === null) return null
        let hi = lo
        if (cps[i] === '-') {
          i++
          const h = escaped()
          if (h === null) return null
          hi = h
        }
        ranges.push([lo.codePointAt(0) ?? 0, hi.codePointAt(0) ?? 0])
      }
      out.push({ kind: 'class', negated, ranges })
    } else {
      out.push({ kind: 'char', ch: c })
    }
  }
  return out
}

/** Matches name[ni..] against tokens[ti..]; `*` and `?` never match `/`. */
function matchFrom(tokens: GlobToken[], ti: number, name: string[],
  ni: number): boolean {
  for (; ti < tokens.length; ti++, ni++) {
    const tok = tokens[ti] as GlobToken
    if (tok.kind === 'star') {
      for (let k = ni; ; k++) {
        if (matchFrom(tokens, ti + 1, name, k)) return true
        if (k >= name.length || name[k] === '/') return false
      }
    }
    const c = name[ni]
    if (c === undefined) return false
    if (tok.kind === 'any') {
      if (c === '/') return false
    } else if (tok.kind === 'char') {
      if (c !== tok.ch) return false
    } else {
      const cp = c.codePointAt(0) ?? 0
      const hit = tok.ranges.some(([lo, hi]) => lo <= cp && cp <= hi)
      if (hit === tok.negated) return false
    }
  }
  return ni === name.length
}

/** Reports whether name matches a Go filepath.Match pattern (bad → false). */
export function globMatch(pattern: string, name: string): boolean {
  const tokens = compileGlob(pattern)
  return tokens !== null && matchFrom(tokens, 0, Array.from(name), 0)
}

/** What buildChildEnv returns. */
export interface ChildEnvResult {
  /** The environment to hand to spawn. */
  env: Record<string, string>
  /** Custom entries without `=`, which Node cannot pass on. */
  dropped: string[]
}

/**
 * Computes the child's environment as the reference does: pristine gives
 * only consulEnv + custom; otherwise the parent's variables pass the
 * allowlist (when not empty) and then the denylist, and consulEnv + custom
 * are added last (a later entry wins over an earlier one of the same name).
 */
export function buildChildEnv(env: ExecEnv,
  parent: NodeJS.ProcessEnv,
  consulEnv: Readonly<Record<string, string>> = {}): ChildEnvResult {
  const out: Record<string, string> = {}
  if (env.pristine !== true) {
    const allow = env.allowlist ?? []
    const deny = env.denylist ?? []
    for (const [k, v] of Object.entries(parent)) {
      if (v === undefined) continue
      if (allow.length > 0 && !allow.some((p) => globMatch(p, k))) continue
      if (deny.some((p) => globMatch(p, k))) continue
      out[k] = v
    }
  }
  const dropped: string[] = []
  const extra = [
    ...Object.entries(consulEnv).map(([k, v]) => `${k}=${v}`),
    ...(env.custom ?? []),
  ]
  for (const kv of extra) {
    const eq = kv.indexOf('=')
    if (eq <= 0) {
      dropped.push(kv)
      continue
    }
    out[kv.slice(0, eq)] = kv.slice(eq + 1)
  }
  return { env: out, dropped }
}
