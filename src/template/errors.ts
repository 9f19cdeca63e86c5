/**
 * The one error type the template engine raises, and the helpers that give
 * Go's positions: lines counted eagerly, columns as 0-based UTF-8 byte
 * offsets from the last newline, computed only when an error is built.
 */

/** Where a template error happened. */
export interface TemplateWhere {
  name: string
  line: number
  col?: number
}

/** An error from parsing or executing a template; `message` is Go's text. */
export class TemplateError extends Error {
  readonly code: 'ETPL_PARSE' | 'ETPL_EXEC'

  constructor(
    message: string,
    code: TemplateError['code'],
    readonly where: TemplateWhere,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.code = code
  }
}
TemplateError.prototype.name = 'TemplateError'

/** Returns the number of UTF-8 bytes in s. */
export function byteLength(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) n += 1
    else if (c >= 0xd800 && c <= 0xdbff) i++, n += 2 // pair: 4 bytes
    else n += 2
  }
  return n
}

/** Returns the 1-based line and the 0-based byte column of offset pos. */
export function lineAndColumn(text: string, pos: number): { line: number; col: number } {
  let line = 1
  let lastNl = -1
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++
    lastNl = i
  }
  // Go counts a position on the first line from the start of the text, and
  // on later lines from just after the newline.
  return { line, col: byteLength(text.slice(lastNl + 1, pos)) }
}
