/**
 * The template lexer: state functions that scan the input and a pull API,
 * `nextItem()`, that runs states until one emits. Trim markers and comments
 * are consumed here, so the parser never sees them.
 */
import { quoteGo, quoteRuneU } from './quote.ts'

/** Kinds of lexical items; keywords come after the Keyword sentinel. */
export const Item = {
  Error: 0, // error occurred; val is the message
  Bool: 1, // true or false
  Char: 2, // printable ASCII character; grab bag for comma etc.
  CharConstant: 3, // character constant
  Complex: 4, // complex constant (1+2i); imaginary is just a number
  Assign: 5, // equals ('=') introducing an assignment
  Declare: 6, // colon-equals (':=') introducing a declaration
  EOF: 7,
  Field: 8, // alphanumeric identifier starting with '.'
  Identifier: 9, // alphanumeric identifier not starting with '.'
  LeftDelim: 10, // left action delimiter
  LeftParen: 11, // '(' inside action
  Number: 12, // simple number, including imaginary
  Pipe: 13, // pipe symbol
  RawString: 14, // raw quoted string (includes quotes)
  RightDelim: 15, // right action delimiter
  RightParen: 16, // ')' inside action
  Space: 17, // run of spaces separating arguments
  String: 18, // quoted string (includes quotes)
  Text: 19, // plain text
  Variable: 20, // variable starting with '$', such as '$' or '$1' or '$hello'
  Keyword: 21, // sentinel: only keywords come after it
  Block: 22,
  Break: 23,
  Continue: 24,
  Dot: 25,
  Define: 26,
  Else: 27,
  End: 28,
  If: 29,
  Nil: 30,
  Range: 31,
  Template: 32,
  With: 33,
} as const

/** One of the Item values. */
export type ItemKind = (typeof Item)[keyof typeof Item]

/** A token: its kind, offset in the source, text and starting line. */
export interface LexItem {
  kind: ItemKind
  pos: number
  val: string
  line: number
}

const keywords: Record<string, ItemKind> = {
  '.': Item.Dot,
  block: Item.Block,
  break: Item.Break,
  continue: Item.Continue,
  define: Item.Define,
  else: Item.Else,
  end: Item.End,
  if: Item.If,
  range: Item.Range,
  nil: Item.Nil,
  template: Item.Template,
  with: Item.With,
}

/** Returns the item as Go prints it in "unexpected ..." messages. */
export function itemString(it: LexItem): string {
  if (it.kind === Item.EOF) return 'EOF'
  if (it.kind === Item.Error) return it.val
  if (it.kind > Item.Keyword) return `<${it.val}>`
  const cps = Array.from(it.val)
  if (cps.length > 10) return quoteGo(cps.slice(0, 10).join('')) + '...'
  return quoteGo(it.val)
}


const EOF = -1
const leftComment = '/*'
const rightComment = '*/'

/** A state scans some input and returns the next state, or null at the end. */
type StateFn = (lx: Lexer) => StateFn | null

/** Options the parser sets: whether break/continue are keywords. */
export interface LexOptions {
  breakOK: boolean
  continueOK: boolean
}

/** Scans template source into items, one `nextItem()` at a time. */
export class Lexer {
  readonly input: string
  readonly leftDelim: string
  readonly rightDelim: string
  pos = 0 // current offset in input
  start = 0 // start of the pending item
  atEOF = false // we have hit the end of input and returned EOF
  parenDepth = 0 // nesting depth of ( ) exprs
  startLine = 1 // line of the start of the pending item
  insideAction = false
  private state: StateFn | null = lexText
  private item: LexItem | null = null
  private done = false

  constructor(
    input: string,
    leftDelim: string,
    rightDelim: string,
    readonly options: LexOptions = { breakOK: true, continueOK: true },
  ) {
    this.input = input
    this.leftDelim = leftDelim || '{{'
    this.rightDelim = rightDelim || '}}'
  }

  /** Returns the next item; after EOF or an error it keeps returning EOF. */
  nextItem(): LexItem {
    this.item = null
    while (this.item === null) {
      if (this.state === null || this.done) {
        return { kind: Item.EOF, pos: this.pos, val: 'EOF', line: this.startLine }
      }
      this.state = this.state(this)
    }
    const it = this.item as LexItem
    if (it.kind === Item.EOF || it.kind === Item.Error) this.done = true
    return it
  }

  /** Returns the next code point, or EOF. */
  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true
      return EOF
    }
    const r = this.input.codePointAt(this.pos)!
    this.pos += r > 0xffff ? 2 : 1
    return r
  }

  /** Returns but does not consume the next code point. */
  peek(): number {
    if (this.pos >= this.input.length) return EOF
    return this.input.codePointAt(this.pos)!
  }

  /** Steps back one code point; only once per call of next. */
  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const c = this.input.charCodeAt(this.pos - 1)
      this.pos -= c >= 0xdc00 && c <= 0xdfff && this.pos > 1 ? 2 : 1
    }
    this.atEOF = false
  }

  /** Consumes the next code point if it is in the valid set. */
  accept(valid: string): boolean {
    const r = this.next()
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true
    this.backup()
    return false
  }

  /** Consumes a run of code points from the valid set. */
  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next()
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break
    }
    this.backup()
  }

  /** Builds the pending item and moves the start past it. */
  thisItem(kind: ItemKind): LexItem {
    const it = { kind, pos: this.start, val: this.input.slice(this.start, this.pos),
      line: this.startLine }
    this.skipTo(this.pos)
    return it
  }

  /** Emits the pending item and returns the state to continue with. */
  emit(kind: ItemKind, state: StateFn = lexInsideAction): StateFn {
    return this.emitItem(this.thisItem(kind), state)
  }

  /** Emits a built item. */
  emitItem(it: LexItem, state: StateFn): StateFn {
    this.item = it
    return state
  }

  /** Skips the pending input. */
  ignore(): void {
    this.skipTo(this.pos)
  }

  /** Moves the start to offset to, counting the lines passed. */
  private skipTo(to: number): void {
    for (let i = this.start; i < to; i++) {
      if (this.input.charCodeAt(i) === 10) this.startLine++
    }
    this.start = to
  }

  /** Emits an error item and ends the scan. */
  errorf(msg: string): null {
    this.item = { kind: Item.Error, pos: this.start, val: msg, line: this.startLine }
    return null
  }

  /** Reports whether the input is at the right delimiter, and trimmed. */
  atRightDelim(): { delim: boolean; trim: boolean } {
    const rest = this.input.slice(this.pos, this.pos + 2 + this.rightDelim.length)
    if (hasRightTrimMarker(rest) && rest.startsWith(this.rightDelim, 2)) {
      return { delim: true, trim: true }
    }
    return { delim: rest.startsWith(this.rightDelim), trim: false }
  }

  /** Reports whether the next character can end a word. */
  atTerminator(): boolean {
    const r = this.peek()
    if (isSpace(r)) return true
    switch (r) {
      case EOF: case 0x2e: case 0x2c: case 0x7c: case 0x3a: case 0x29: case 0x28:
        return true
    }
    // Go compares only the first rune of the delimiter here.
    return r === this.rightDelim.codePointAt(0)
  }
}

/** Reports whether r is a space character as templates define it. */
function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a
}

const alnum = /^[\p{L}\p{Nd}_]$/u

/** Reports whether r is a letter, a decimal digit or an underscore. */
function isAlphaNumeric(r: number): boolean {
  if (r < 0) return false
  if (r < 0x80) {
    return r === 0x5f || (r >= 0x30 && r <= 0x39) || ((r | 0x20) >= 0x61 && (r | 0x20) <= 0x7a)
  }
  return alnum.test(String.fromCodePoint(r))
}

function hasLeftTrimMarker(s: string): boolean {
  return s.length >= 2 && s[0] === '-' && isSpace(s.charCodeAt(1))
}

function hasRightTrimMarker(s: string): boolean {
  return s.length >= 2 && isSpace(s.charCodeAt(0)) && s[1] === '-'
}

function rightTrimLength(s: string): number {
  let i = s.length
  while (i > 0 && isSpace(s.charCodeAt(i - 1))) i--
  return s.length - i
}

function leftTrimLength(s: string, from: number): number {
  let i = from
  while (i < s.length && isSpace(s.charCodeAt(i))) i++
  return i - from
}

/** Scans until an opening action delimiter. */
function lexText(lx: Lexer): StateFn | null {
  const x = lx.input.indexOf(lx.leftDelim, lx.pos)
  if (x < 0) {
    lx.pos = lx.input.length
    if (lx.pos > lx.start) return lx.emit(Item.Text, lexText)
    return lx.emit(Item.EOF, lexText)
  }
  if (x > lx.pos) {
    lx.pos = x
    let trim = 0
    const after = lx.input.slice(x + lx.leftDelim.length, x + lx.leftDelim.length + 2)
    if (hasLeftTrimMarker(after)) trim = rightTrimLength(lx.input.slice(lx.start, x))
    lx.pos = x - trim
    const it = lx.thisItem(Item.Text)
    lx.pos = x
    lx.ignore()
    if (it.val.length > 0) return lx.emitItem(it, lexLeftDelim)
  }
  return lexLeftDelim
}

/** Scans the left delimiter, which is known to be present. */
function lexLeftDelim(lx: Lexer): StateFn | null {
  lx.pos += lx.leftDelim.length
  const trim = hasLeftTrimMarker(lx.input.slice(lx.pos, lx.pos + 2))
  const afterMarker = trim ? 2 : 0
  if (lx.input.startsWith(leftComment, lx.pos + afterMarker)) {
    lx.pos += afterMarker
    lx.ignore()
    return lexComment
  }
  const it = lx.thisItem(Item.LeftDelim)
  lx.insideAction = true
  lx.pos += afterMarker
  lx.ignore()
  lx.parenDepth = 0
  return lx.emitItem(it, lexInsideAction)
}

/** Scans a comment; the left comment marker is known to be present. */
function lexComment(lx: Lexer): StateFn | null {
  lx.pos += leftComment.length
  const x = lx.input.indexOf(rightComment, lx.pos)
  if (x < 0) return lx.errorf('unclosed comment')
  lx.pos = x + rightComment.length
  const { delim, trim } = lx.atRightDelim()
  if (!delim) return lx.errorf('comment ends before closing delimiter')
  if (trim) lx.pos += 2
  lx.pos += lx.rightDelim.length
  if (trim) lx.pos += leftTrimLength(lx.input, lx.pos)
  lx.ignore()
  return lexText
}

/** Scans the right delimiter, which is known to be present. */
function lexRightDelim(lx: Lexer): StateFn | null {
  const { trim } = lx.atRightDelim()
  if (trim) {
    lx.pos += 2
    lx.ignore()
  }
  lx.pos += lx.rightDelim.length
  const it = lx.thisItem(Item.RightDelim)
  if (trim) {
    lx.pos += leftTrimLength(lx.input, lx.pos)
    lx.ignore()
  }
  lx.insideAction = false
  return lx.emitItem(it, lexText)
}

/** Scans the elements inside action delimiters. */
function lexInsideAction(lx: Lexer): StateFn | null {
  const { delim } = lx.atRightDelim()
  if (delim) {
    if (lx.parenDepth === 0) return lexRightDelim
    return lx.errorf('unclosed left paren')
  }
  const r = lx.next()
  if (r === EOF) return lx.errorf('unclosed action')
  if (isSpace(r)) {
    lx.backup() // put the space back in case we have " -}}"
    return lexSpace
  }
  switch (r) {
    case 0x3d: return lx.emit(Item.Assign) // '='
    case 0x3a: // ':'
      if (lx.next() !== 0x3d) return lx.errorf('expected :=')
      return lx.emit(Item.Declare)
    case 0x7c: return lx.emit(Item.Pipe)
    case 0x22: return lexQuote
    case 0x60: return lexRawQuote
    case 0x24: return lexVariable
    case 0x27: return lexChar
    case 0x28:
      lx.parenDepth++
      return lx.emit(Item.LeftParen)
    case 0x29:
      lx.parenDepth--
      if (lx.parenDepth < 0) return lx.errorf('unexpected right paren')
      return lx.emit(Item.RightParen)
  }
  if (r === 0x2e) {
    // A '.' followed by a digit starts a number; otherwise a field.
    const c = lx.input.charCodeAt(lx.pos)
    if (lx.pos < lx.input.length && (c < 0x30 || c > 0x39)) return lexField
  }
  if (r === 0x2e || r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
    lx.backup()
    return lexNumber
  }
  if (isAlphaNumeric(r)) {
    lx.backup()
    return lexIdentifier
  }
  if (r < 0x80 && r >= 0x20 && r < 0x7f) return lx.emit(Item.Char)
  return lx.errorf('unrecognized character in action: ' + quoteRuneU(r))
}

/** Scans a run of space characters; one space is known to be present. */
function lexSpace(lx: Lexer): StateFn | null {
  let n = 0
  while (isSpace(lx.peek())) {
    lx.next()
    n++
  }
  // A trim-marked closing delimiter starts with a space; leave it be.
  const rest = lx.input.slice(lx.pos - 1, lx.pos + 1 + lx.rightDelim.length)
  if (hasRightTrimMarker(rest) && rest.startsWith(lx.rightDelim, 2)) {
    lx.backup()
    if (n === 1) return lexInsideAction
  }
  return lx.emit(Item.Space)
}

/** Scans an alphanumeric word: keyword, bool or identifier. */
function lexIdentifier(lx: Lexer): StateFn | null {
  let r: number
  while (isAlphaNumeric((r = lx.next())));
  lx.backup()
  const word = lx.input.slice(lx.start, lx.pos)
  if (!lx.atTerminator()) return lx.errorf('bad character ' + quoteRuneU(r))
  const kw = keywords[word]
  if (kw !== undefined && Object.hasOwn(keywords, word)) {
    if ((kw === Item.Break && !lx.options.breakOK) ||
        (kw === Item.Continue && !lx.options.continueOK)) {
      return lx.emit(Item.Identifier)
    }
    return lx.emit(kw)
  }
  if (word === 'true' || word === 'false') return lx.emit(Item.Bool)
  return lx.emit(Item.Identifier)
}

/** Scans a field: .Alphanumeric. The '.' has been consumed. */
function lexField(lx: Lexer): StateFn | null {
  return lexFieldOrVariable(lx, Item.Field)
}

/** Scans a variable: $Alphanumeric. The '$' has been consumed. */
function lexVariable(lx: Lexer): StateFn | null {
  return lexFieldOrVariable(lx, Item.Variable)
}

function lexFieldOrVariable(lx: Lexer, kind: ItemKind): StateFn | null {
  if (lx.atTerminator()) return lx.emit(kind === Item.Variable ? Item.Variable : Item.Dot)
  let r: number
  while (isAlphaNumeric((r = lx.next())));
  lx.backup()
  if (!lx.atTerminator()) return lx.errorf('bad character ' + quoteRuneU(r))
  return lx.emit(kind)
}

/** Scans a character constant; the opening quote has been consumed. */
function lexChar(lx: Lexer): StateFn | null {
  for (;;) {
    let r = lx.next()
    if (r === 0x5c) {
      r = lx.next()
      if (r !== EOF && r !== 0x0a) continue
    }
    if (r === EOF || r === 0x0a) return lx.errorf('unterminated character constant')
    if (r === 0x27) break
  }
  return lx.emit(Item.CharConstant)
}

/** Scans a number; the parser checks it properly later. */
function lexNumber(lx: Lexer): StateFn | null {
  const bad = (): null =>
    lx.errorf('bad number syntax: ' + quoteGo(lx.input.slice(lx.start, lx.pos)))
  if (!scanNumber(lx)) return bad()
  const sign = lx.peek()
  if (sign === 0x2b || sign === 0x2d) {
    // Complex: 1+2i. No spaces, must end in 'i'.
    if (!scanNumber(lx) || lx.input[lx.pos - 1] !== 'i') return bad()
    return lx.emit(Item.Complex)
  }
  return lx.emit(Item.Number)
}

function scanNumber(lx: Lexer): boolean {
  lx.accept('+-')
  let digits = '0123456789_'
  if (lx.accept('0')) {
    if (lx.accept('xX')) digits = '0123456789abcdefABCDEF_'
    else if (lx.accept('oO')) digits = '01234567_'
    else if (lx.accept('bB')) digits = '01_'
  }
  lx.acceptRun(digits)
  if (lx.accept('.')) lx.acceptRun(digits)
  if (digits.length === 11 && lx.accept('eE')) {
    lx.accept('+-')
    lx.acceptRun('0123456789_')
  }
  if (digits.length === 23 && lx.accept('pP')) {
    lx.accept('+-')
    lx.acceptRun('0123456789_')
  }
  lx.accept('i')
  if (isAlphaNumeric(lx.peek())) {
    lx.next()
    return false
  }
  return true
}

/** Scans a quoted string; the opening quote has been consumed. */
function lexQuote(lx: Lexer): StateFn | null {
  for (;;) {
    let r = lx.next()
    if (r === 0x5c) {
      r = lx.next()
      if (r !== EOF && r !== 0x0a) continue
    }
    if (r === EOF || r === 0x0a) return lx.errorf('unterminated quoted string')
    if (r === 0x22) break
  }
  return lx.emit(Item.String)
}

/** Scans a raw quoted string; the opening quote has been consumed. */
function lexRawQuote(lx: Lexer): StateFn | null {
  const x = lx.input.indexOf('`', lx.pos)
  if (x < 0) {
    lx.pos = lx.input.length
    return lx.errorf('unterminated raw quoted string')
  }
  lx.pos = x + 1
  return lx.emit(Item.RawString)
}
