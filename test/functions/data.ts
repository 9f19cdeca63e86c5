/**
 * The Consul data of scripts/reference-harness, built with ctmpl's
 * dependency structs, and stand-in `service`/`tree` functions that return
 * it (the real ones live in src/functions/consul.ts).
 */
import { HealthService, KeyPair, serviceTags } from '../../src/dependency/structs.ts'
import { defineFunc, stringMap } from '../../src/template/index.ts'
import type { FuncMap } from '../../src/template/index.ts'

// The harness leaves the maps and slices it does not set nil, as Go does;
// toJSON prints them as null.
const unset = { NodeTaggedAddresses: null, NodeMeta: null, ServiceTaggedAddresses: null,
  Checks: null }

function service(fields: Partial<HealthService> & { tags: string[] }): HealthService {
  const { tags, ...rest } = fields
  return Object.assign(new HealthService(), unset, rest, { Tags: serviceTags(tags) })
}

function pair(path: string, key: string, value: string): KeyPair {
  return Object.assign(new KeyPair(), { Path: path, Key: key, Value: value })
}

const services: Record<string, HealthService[]> = {
  web: [
    service({ Node: 'n1', Address: '10.0.0.1', ID: 'web1', Name: 'web', Port: 80,
      tags: ['blue', 'prod'], ServiceMeta: stringMap({ version: '2', zone: 'a.b' }) }),
    service({ Node: 'n2', Address: '10.0.0.2', ID: 'web2', Name: 'web', Port: 8080,
      tags: ['green', 'prod'], ServiceMeta: stringMap({ version: '10' }) }),
    service({ Node: 'n3', Address: '10.0.0.3', ID: 'web3', Name: 'web', Port: 80,
      tags: [], ServiceMeta: stringMap({ version: '', zone: 'c d' }) }),
  ],
  bad: [service({ Node: 'n9', ID: 'bad1', Name: 'bad', tags: [],
    ServiceMeta: stringMap({ version: 'x1' }) })],
}

const trees: Record<string, KeyPair[]> = {
  app: [
    pair('app/a', 'a', '1'),
    pair('app/svc/port', 'svc/port', '8080'),
    pair('app/svc/host', 'svc/host', 'h'),
    pair('app/db/user', 'db/user', 'u'),
    pair('app/db/x/y', 'db/x/y', 'deep'),
  ],
  clash: [pair('clash/a', 'a', '1'), pair('clash/a/b', 'a/b', '2')],
}

/** Returns `service` and `tree` over the fixed data. */
export function dataFuncs(): FuncMap {
  return {
    service: defineFunc((name: string) => services[name] ?? [], 1, true),
    tree: defineFunc((prefix: string) => trees[prefix] ?? [], 1),
  }
}
