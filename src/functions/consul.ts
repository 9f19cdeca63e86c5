/**
 * The Consul-backed template functions and `file`. None of them waits:
 * each parses its argument into a dependency, records it through the
 * render's Recorder, and returns the stored data, or the zero value of its
 * Go result type when no data has arrived yet (the Recorder then lists the
 * dependency as missing and the runner renders nothing).
 */
import {
  FileDependency, cleanPath, datacentersDependency, goSlice,
  parseCatalogNode, parseCatalogNodes, parseCatalogServices, parseHealthService,
  parseKVGet, parseKVList,
} from '../dependency/index.ts'
import type {
  CatalogSnippet, HealthService, KeyPair, Node,
} from '../dependency/index.ts'
import { resolveInSandboxSync } from '../dependency/sandbox.ts'
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import type { Recorder } from '../watch/index.ts'
import { asString, asStrings, wrongType } from './args.ts'

/** Per-template options of the Consul functions. */
export interface ConsulFuncOptions {
  /** sandbox_path: `file` may only read below it. */
  sandboxPath?: string
}

/** The recorder of the current render, or a way to find it at call time
 * (so one FuncMap can serve every render of a template). */
export type RecorderSource = Recorder | (() => Recorder)

/** Returns service, connect, services, key, keyExists, keyOrDefault, ls,
 * safeLs, tree, safeTree, node, nodes, datacenters and file. */
export function consulFuncs(source: RecorderSource,
  opts: ConsulFuncOptions = {}): FuncMap {
  const rec = typeof source === 'function' ? source : () => source
  return {
    service: defineFunc((...args: unknown[]) =>
      healthFn(rec(), args, false), 1, true),
    connect: defineFunc((...args: unknown[]) =>
      healthFn(rec(), args, true), 1, true),
    services: defineFunc((...args: unknown[]) => {
      const dep = servicesDep(asStrings(args).join(''))
      const got = rec().recall(dep)
      return got?.data ?? emptySlice<CatalogSnippet>('CatalogSnippet')
    }, 1, true),
    nodes: defineFunc((...args: unknown[]) => {
      const dep = nodesDep(asStrings(args).join(''))
      return rec().recall(dep)?.data ?? emptySlice<Node>('Node')
    }, 1, true),
    node: defineFunc((...args: unknown[]) => {
      const dep = nodeDep(asStrings(args).join(''))
      const got = rec().recall(dep)
      return got ? got.data : null
    }, 1, true),
    key: defineFunc((s: unknown) => {
      const path = asString(s)
      if (path === '') return ''
      return rec().recall(kvBlockDep(path))?.data ?? ''
    }, 1),
    keyExists: defineFunc((s: unknown) => {
      const path = asString(s)
      if (path === '') return false
      const got = rec().recall(kvGetDep(path))
      return got !== undefined && got.data !== null
    }, 1),
    keyOrDefault: defineFunc((s: unknown, def: unknown) => {
      const path = asString(s)
      const fallback = asString(def)
      if (path === '') return fallback
      const got = rec().recall(kvGetDep(path))
      return got?.data || fallback
    }, 2),
    ls: defineFunc((s: unknown) => listFn(rec(), s, topLevel, true), 1),
    safeLs: defineFunc((s: unknown) => listFn(rec(), s, topLevel, false), 1),
    tree: defineFunc((s: unknown) => listFn(rec(), s, notFolder, true), 1),
    safeTree: defineFunc((s: unknown) => listFn(rec(), s, notFolder, false), 1),
    datacenters: defineFunc((...args: unknown[]) => {
      if (args.length > 1) {
        throw new Error('datacenters: wrong number of arguments, ' +
          `expected 0 or 1, but got ${args.length}`)
      }
      const ignore = args[0] ?? false
      if (typeof ignore !== 'boolean') throw wrongType('bool', ignore)
      const got = rec().recall(datacentersDependency(ignore))
      return got?.data ?? goSlice([], '[]string')
    }, 1, true),
    file: defineFunc((s: unknown) => {
      const raw = asString(s)
      if (raw === '') return ''
      const sandbox = opts.sandboxPath || undefined
      const path = sandbox
        ? resolveInSandboxSync(raw.trim(), sandbox) : cleanPath(raw.trim())
      const got = rec().recall(new FileDependency(path, sandbox))
      return got?.data ?? ''
    }, 1),
  }
}

/** Caches a dependency parser: a template calls `service "web"` once per
 * render, and large templates call hundreds of them; dependencies are
 * immutable values, so one parse per distinct argument is enough. The
 * cache is cleared when it grows past a bound (arguments built from data
 * could otherwise make it grow without end). */
function memo<D>(parse: (s: string) => D): (s: string) => D {
  const cache = new Map<string, D>()
  return (s) => {
    let dep = cache.get(s)
    if (dep === undefined) {
      if (cache.size >= 10_000) cache.clear()
      dep = parse(s)
      cache.set(s, dep)
    }
    return dep
  }
}

const healthDep = memo((s) => parseHealthService(s, false))
const connectDep = memo((s) => parseHealthService(s, true))
const servicesDep = memo(parseCatalogServices)
const nodesDep = memo(parseCatalogNodes)
const nodeDep = memo(parseCatalogNode)
const kvBlockDep = memo((s) => parseKVGet(s, true))
const kvGetDep = memo((s) => parseKVGet(s))
const kvListDep = memo(parseKVList)

function emptySlice<T>(type: string): T[] {
  return goSlice([] as T[], `[]*dependency.${type}`)
}

/** `service` and `connect`: arguments joined with "|", so
 * `service "web" "passing,warning"` means "web|passing,warning". */
function healthFn(rec: Recorder, args: unknown[],
  connect: boolean): HealthService[] {
  const parts = asStrings(args)
  if (parts.length === 0 || parts[0] === '') return emptySlice('HealthService')
  const dep = (connect ? connectDep : healthDep)(parts.join('|'))
  return rec.recall(dep)?.data ?? emptySlice('HealthService')
}

/** `ls` keeps non-empty top-level keys only. */
function topLevel(p: KeyPair): boolean {
  return p.Key !== '' && !p.Key.includes('/')
}

/** `tree` drops folder markers (keys ending in "/") and the prefix itself. */
function notFolder(p: KeyPair): boolean {
  return !p.Key.endsWith('/') && p.Key !== ''
}

/** `ls`/`tree` and their safe forms: a safe form with an empty result
 * marks the dependency missing, so the template is not rendered. */
function listFn(rec: Recorder, s: unknown, keep: (p: KeyPair) => boolean,
  emptyIsSafe: boolean): KeyPair[] {
  const prefix = asString(s)
  if (prefix === '') return emptySlice('KeyPair')
  const dep = kvListDep(prefix)
  const got = rec.recall(dep)
  if (got === undefined) return emptySlice('KeyPair')
  const out = goSlice(got.data.filter(keep), '[]*dependency.KeyPair')
  if (out.length === 0 && !emptyIsSafe) rec.markMissing(dep)
  return out
}
