/**
 * Reference cases ctmpl knowingly renders differently, each with the
 * reason; docs/functions.md lists the same differences.
 */
export const knownDifferences = new Map<string, string>([
  ['{{ explodeMap (splitToMap "," "=" "a/b=1,a/c=2") | toJSON }}',
    'ctmpl has one map type; Go refuses map[string]string where ' +
    'map[string]interface{} is declared'],
])
