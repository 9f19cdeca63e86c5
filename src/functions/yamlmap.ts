/**
 * Marks maps decoded from YAML. Go's yaml.v2 decodes mappings into
 * map[interface{}]interface{}, which encoding/json refuses; templates see
 * the difference (`parseYAML | toJSON` fails in the reference), so ctmpl
 * keeps the mark to fail the same way.
 */
const yamlMark = Symbol.for('ctmpl.yamlMap')

/** Marks obj as a map[interface{}]interface{} and returns it. */
export function markYAMLMap<T extends object>(obj: T): T {
  Object.defineProperty(obj, yamlMark, { value: true, enumerable: false })
  return obj
}

/** Reports whether v was decoded from a YAML mapping. */
export function isYAMLMap(v: unknown): boolean {
  return typeof v === 'object' && v !== null &&
    (v as Record<symbol, unknown>)[yamlMark] === true
}
