/**
 * The syntax tree both the HCL1 and the JSON readers produce, and the
 * configuration error type. Every node carries the position of its first
 * character so that decoding errors can name file, line and column.
 */
import type { Position } from './types.ts'

/** A value in a configuration file. */
export type Node =
  | { kind: 'string'; value: string; at: Position }
  | { kind: 'number'; value: number; isInt: boolean; at: Position }
  | { kind: 'bool'; value: boolean; at: Position }
  | { kind: 'null'; at: Position }
  | { kind: 'list'; items: Node[]; at: Position }
  | ObjectNode

/** An object or block body; repeated keys are kept in order. */
export interface ObjectNode {
  kind: 'object'
  entries: Entry[]
  at: Position
}

/** One `key = value` or `key { ... }` inside an object. */
export interface Entry {
  key: string
  at: Position // position of the key
  value: Node
}

/** One problem found in a configuration, with where it is. */
export interface ConfigProblem {
  keyPath: string // "template[0].wait.min"; '' for syntax errors
  message: string
  at: Position | undefined
}

/** Formats a problem as "key.path: message (file:line:col)". */
export function formatProblem(p: ConfigProblem): string {
  const where = p.at === undefined ? ''
    : p.at.line === 0 ? ` (${p.at.file})` // a flag or an environment variable
      : ` (${p.at.file}:${p.at.line}:${p.at.column})`
  if (p.keyPath === '') {
    return p.at && p.at.line > 0
      ? `${p.at.file}:${p.at.line}:${p.at.column}: ${p.message}`
      : p.message + where
  }
  return `${p.keyPath}: ${p.message}${where}`
}

/**
 * A configuration that cannot be used. Carries every problem found, so a
 * user fixes a file in one pass; the message lists them one per line.
 */
export class ConfigError extends Error {
  readonly code = 'ECONFIG'
  readonly problems: ConfigProblem[]

  constructor(problems: ConfigProblem[], options?: ErrorOptions) {
    super(problems.map(formatProblem).join('\n'), options)
    this.problems = problems
  }

  /** The key path of the first problem, as STYLE guideline 5 asks. */
  get keyPath(): string {
    return this.problems[0]?.keyPath ?? ''
  }
}
ConfigError.prototype.name = 'ConfigError'

/** Builds a position from an offset by counting lines (1-based column). */
export function positionAt(file: string, src: string, offset: number): Position {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < src.length; i++) {
    if (src.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { file, line, column: offset - lineStart + 1 }
}
