/**
 * ctmpl's configuration: read HCL1/JSON files and the environment into
 * layers, merge them (right-most wins), then finalize (defaults + checks).
 */
export type * from './types.ts'
export { ConfigError, formatProblem, type ConfigProblem } from './ast.ts'
export { parseHcl } from './hcl.ts'
export { parseJson } from './json.ts'
export { emptyConfig, mergeConfig } from './merge.ts'
export { finalizeConfig, topDefaults, type FinalizeOptions } from './finalize.ts'
export { consulDefaults } from './consul.ts'
export { execDefaults } from './exec.ts'
export { templateDefaults } from './template.ts'
export { configFromEnv, expandConfigPaths, loadConfigFiles, parseConfig } from './load.ts'
export {
  formatDuration, parseDuration, parseSignal, parseWaitString, splitTemplateFlag, toCommand,
  ValueError,
} from './values.ts'
