/**
 * Seed files: a JSON document describing nodes, services, checks and KV
 * pairs, loaded into a fresh store so a demo catalog comes up at once.
 *
 *   { "nodes":    [{ "Node": "n1", "Address": "127.0.0.1", "Meta": {} }],
 *     "services": [{ "Node": "n1", "Name": "web", "Port": 8080,
 *                    "Tags": ["http"], "Checks": [{ "Status": "passing" }] }],
 *     "checks":   [{ "Node": "n1", "CheckID": "disk", "Status": "warning" }],
 *     "kv":       { "app/name": "demo" } }
 *
 * `kv` may also be a list of `{ "Key", "Value", "Flags" }` objects.
 */
import { readFile } from 'node:fs/promises'
import { parseCheckDef, parseServiceDef } from './agent-state.ts'
import { int, str, strMap } from './fields.ts'
import type { StateStore } from './state.ts'

/** Seed content, as parsed from JSON. */
export type Seed = Record<string, unknown>

/** Reads and applies a seed file; errors name the file and the entry. */
export async function loadSeedFile(store: StateStore, file: string): Promise<void> {
  const text = await readFile(file, 'utf8')
  let seed: unknown
  try {
    seed = JSON.parse(text)
  } catch (err) {
    throw new Error(`seed ${file}: ${(err as Error).message}`)
  }
  try {
    applySeed(store, seed as Seed)
  } catch (err) {
    throw new Error(`seed ${file}: ${(err as Error).message}`)
  }
}

/** Applies seed content to a store, as one write per section. */
export function applySeed(store: StateStore, seed: Seed): void {
  if (!seed || typeof seed !== 'object' || Array.isArray(seed)) {
    throw new Error('the seed must be a JSON object')
  }
  const known = new Set(['nodes', 'services', 'checks', 'kv'])
  for (const k of Object.keys(seed)) {
    if (!known.has(k)) throw new Error(`unknown section "${k}"`)
  }
  const { catalog } = store
  const list = (name: string): unknown[] => {
    const v = seed[name]
    if (v === undefined) return []
    if (!Array.isArray(v)) throw new Error(`"${name}" must be a list`)
    return v
  }
  store.write((tx) => {
    list('nodes').forEach((n, i) => at(`nodes[${i}]`, () => {
      const name = str(n, 'Node')
      if (!name) throw new Error('missing "Node"')
      catalog.ensureNode(tx, {
        Node: name, Address: str(n, 'Address') ?? '127.0.0.1',
        ...(str(n, 'ID') ? { ID: str(n, 'ID')! } : {}),
        TaggedAddresses: strMap(n, 'TaggedAddresses') ?? {},
        Meta: strMap(n, 'Meta') ?? {},
      })
    }))
    list('services').forEach((s, i) => at(`services[${i}]`, () => {
      const node = str(s, 'Node') ?? store.nodeName
      if (!catalog.node(node)) {
        catalog.ensureNode(tx, { Node: node, Address: '127.0.0.1' })
      }
      const { service, checks } = parseServiceDef(s)
      catalog.ensureService(tx, node, service)
      for (const { ttlMs: _, ...c } of checks) catalog.ensureCheck(tx, node, c)
    }))
    list('checks').forEach((c, i) => at(`checks[${i}]`, () => {
      const { ttlMs: _, ...def } = parseCheckDef(c)
      if (!def.CheckID) def.CheckID = def.Name ?? ''
      catalog.ensureCheck(tx, str(c, 'Node') ?? store.nodeName, {
        ...def, Output: str(c, 'Output') ?? '',
      })
    }))
  })
  const kv = seed['kv']
  if (kv === undefined) return
  const pairs: [string, string, string][] = Array.isArray(kv)
    ? kv.map((e, i) => at(`kv[${i}]`, () => [
      str(e, 'Key') ?? '', str(e, 'Value') ?? '', String(int(e, 'Flags') ?? 0),
    ]))
    : Object.entries(kv as Record<string, unknown>).map(([k, v]) => {
      if (typeof v !== 'string') throw new Error(`kv "${k}": value must be a string`)
      return [k, v, '0']
    })
  store.write((tx) => {
    for (const [key, value, flags] of pairs) {
      const b64 = value === '' ? null : Buffer.from(value).toString('base64')
      at(`kv "${key}"`, () => store.kv.put(tx, key, b64, { flags }))
    }
  })
}

function at<T>(where: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`)
  }
}
