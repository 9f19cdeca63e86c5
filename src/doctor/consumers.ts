/**
 * Works out which service a reload command talks to: `systemctl reload
 * nginx`, `service nginx reload`, `kill -HUP $(cat /run/nginx.pid)`,
 * `pkill -HUP nginx`, `nginx -s reload`. This is a reading of the common
 * shapes, not a shell: a command it cannot read yields no reference, and
 * the doctor then says nothing about it rather than guess.
 */
import { basename } from 'node:path'
import { normalizeUnitName } from './units.ts'

/** A consumer named by a command. */
export type ConsumerRef =
  /** A unit named to systemctl or service. */
  | { kind: 'unit', unit: string, via: string }
  /** A PID file the command reads to find the process. */
  | { kind: 'pidfile', pidFile: string, via: string }
  /** A program signalled by name; it maps to a unit only if one has that name. */
  | { kind: 'program', program: string, via: string }

const systemctlVerbs = new Set(['reload', 'restart', 'try-restart', 'reload-or-restart',
  'try-reload-or-restart', 'reload-or-try-restart', 'force-reload', 'kill', 'start'])

const serviceVerbs = new Set(['reload', 'restart', 'force-reload', 'try-restart',
  'condrestart', 'start'])

/**
 * Splits a shell string into simple commands of words. Quotes group,
 * `$(...)` and backticks stay whole inside a word, and `;`, `&&`, `||`,
 * `|`, `&` and newlines separate commands.
 */
export function splitShell(script: string): string[][] {
  const commands: string[][] = []
  let words: string[] = []
  let word = ''
  let inWord = false
  const endWord = () => {
    if (inWord) words.push(word)
    word = ''
    inWord = false
  }
  const endCommand = () => {
    endWord()
    if (words.length > 0) commands.push(words)
    words = []
  }
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!
    if (c === '\\' && i + 1 < script.length) {
      word += script[++i]
      inWord = true
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1)
      word += script.slice(i + 1, end < 0 ? undefined : end)
      i = end < 0 ? script.length : end
      inWord = true
    } else if (c === '"') {
      let j = i + 1
      while (j < script.length && script[j] !== '"') j += script[j] === '\\' ? 2 : 1
      word += script.slice(i + 1, j)
      i = j
      inWord = true
    } else if (c === '$' && script[i + 1] === '(' || c === '`') {
      // Keep a substitution whole; depth counts nested parentheses.
      let j = i + (c === '`' ? 1 : 2)
      let depth = 1
      while (j < script.length && depth > 0) {
        if (c === '`' && script[j] === '`') depth = 0
        else if (c !== '`' && script[j] === '(') depth++
        else if (c !== '`' && script[j] === ')') depth--
        j++
      }
      word += script.slice(i, j)
      i = j - 1
      inWord = true
    } else if (c === ';' || c === '\n' || c === '|' || c === '&') {
      endCommand()
      if ((c === '|' || c === '&') && script[i + 1] === c) i++
    } else if (c === ' ' || c === '\t') {
      endWord()
    } else {
      word += c
      inWord = true
    }
  }
  endCommand()
  return commands
}

// `$(cat F)`, `$(< F)`, `` `cat F` ``, possibly inside a longer word.
function pidFileIn(word: string): string | null {
  const m = /(?:\$\(\s*(?:cat\s+|<\s*)|`\s*cat\s+)([^\s)`]+)\s*[)`]/.exec(word)
  return m ? m[1]! : null
}

// Drops what runs the real command: sudo, env, exec, nohup, VAR=value.
function stripWrappers(words: string[]): string[] {
  let i = 0
  while (i < words.length) {
    const w = words[i]!
    const b = basename(w)
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++
    else if (b === 'sudo' || b === 'env' || b === 'exec' || b === 'nohup') {
      i++
      while (i < words.length && words[i]!.startsWith('-')) i++
    } else break
  }
  return words.slice(i)
}

function refsOfSimple(words: string[], via: string): ConsumerRef[] {
  const w = stripWrappers(words)
  if (w.length === 0) return []
  const prog = basename(w[0]!)
  const args = w.slice(1)
  const nonOptions = args.filter((a) => !a.startsWith('-'))
  if (prog === 'systemctl') {
    const verb = nonOptions[0]
    if (verb === undefined || !systemctlVerbs.has(verb)) return []
    return nonOptions.slice(1).map((u) => ({ kind: 'unit', unit: normalizeUnitName(u), via }))
  }
  if (prog === 'service' && nonOptions.length >= 2 && serviceVerbs.has(nonOptions[1]!)) {
    return [{ kind: 'unit', unit: normalizeUnitName(nonOptions[0]!), via }]
  }
  if (prog === 'kill') {
    return args.flatMap((a) => {
      const f = pidFileIn(a)
      return f ? [{ kind: 'pidfile' as const, pidFile: f, via }] : []
    })
  }
  if (prog === 'pkill' || prog === 'killall') {
    const f = args.indexOf('-F')
    if (prog === 'pkill' && f >= 0 && args[f + 1]) {
      return [{ kind: 'pidfile', pidFile: args[f + 1]!, via }]
    }
    const name = nonOptions.at(-1)
    return name ? [{ kind: 'program', program: basename(name), via }] : []
  }
  // `nginx -s reload`, `haproxy ...`: the program itself.
  if (args.includes('-s') || prog === 'nginx' || prog === 'haproxy') {
    return [{ kind: 'program', program: prog, via }]
  }
  return []
}

/** Returns the consumers a command names, in the order they appear. */
export function consumersOfCommand(command: string | string[]): ConsumerRef[] {
  if (Array.isArray(command)) {
    const prog = basename(command[0] ?? '')
    if ((prog === 'sh' || prog === 'bash') && command[1] === '-c' && command[2]) {
      return consumersOfCommand(command[2])
    }
    return refsOfSimple(command, command.join(' '))
  }
  return splitShell(command).flatMap((words) => refsOfSimple(words, words.join(' ')))
}
