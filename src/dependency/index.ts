/**
 * Dependencies: one module per kind, each with the reference's argument
 * grammar, canonical key, fetch, and the shape of the data a template sees.
 *
 *   parseHealthService(s, connect?)  health.service(...) / health.connect(...)
 *   parseCatalogServices(s)          catalog.services[(...)]
 *   parseCatalogNodes(s)             catalog.nodes[(...)]
 *   parseCatalogNode(s)              catalog.node[(...)]  ('' = agent's node)
 *   parseKVGet(s, block?)            kv.get(...) / kv.block(...)
 *   parseKVList(s)                   kv.list(...)
 *   datacentersDependency(ignore)    catalog.datacenters
 *   new FileDependency(path)         file(...)
 *
 * Parsers throw DependencyError (code EDEP_PARSE) with the reference's
 * wording; fetches reject with DependencyError (EDEP_FETCH, message
 * "<key>: <cause>") or with an AbortError when the view was stopped.
 *
 * Marks on the data (all Symbol.for, non-enumerable), for the layers that
 * print or encode it as Go would:
 *   'ctmpl.goType'       on arrays and maps: the Go type name
 *                        ("dependency.ServiceTags", "api.HealthChecks",
 *                        "map[string]api.ServiceAddress", ...);
 *   'ctmpl.nilMap'       on maps that are Go nil maps: read as empty,
 *                        encoding/json writes null;
 *   'ctmpl.jsonEntries'  a struct method giving its JSON entries in order
 *                        (omitempty and MarshalJSON of the API types).
 */
export type {
  Dependency, DependencyKind, FetchContext, FetchOptions, FetchResult, FetchTimings,
} from './types.ts'
export {
  DependencyError, defaultTimings, isAbortError, wrapFetchError,
} from './types.ts'
export {
  AgentWeights, CatalogNode, CatalogNodeService, CatalogSnippet, HealthCheck,
  HealthCheckDefinition, HealthService, KeyPair, Node, ServiceAddress, compareGo, goSlice,
  goSliceType, jsonEntriesMark, nilMap, nilMapMark, serviceTags,
} from './structs.ts'
export {
  HealthServiceDependency, aggregatedStatus, healthStatuses, parseHealthService,
  shapeHealthEntries,
} from './health-service.ts'
export {
  CatalogServicesDependency, parseCatalogServices, shapeCatalogServices,
} from './catalog-services.ts'
export { CatalogNodesDependency, parseCatalogNodes, shapeCatalogNodes } from './catalog-nodes.ts'
export { CatalogNodeDependency, parseCatalogNode, shapeCatalogNode } from './catalog-node.ts'
export {
  KVGetDependency, KVListDependency, decodeValue, parseKVGet, parseKVList, shapeKeyPairs,
} from './kv.ts'
export {
  CatalogDatacentersDependency, datacentersDependency,
} from './catalog-datacenters.ts'
export { FileDependency, cleanPath } from './file.ts'
export { formatGoDuration, normalizeGoDuration, parseGoDuration } from './duration.ts'
