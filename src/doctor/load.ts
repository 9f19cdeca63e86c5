/** Loads the configuration the doctor reviews, as the daemon would. */
import { finalizeConfig, loadConfigFiles } from '../config/index.ts'
import type { Config } from '../config/index.ts'

/**
 * Reads, merges (right-most wins) and finalizes the files and folders
 * named by -config; throws ConfigError naming file, line and key.
 */
export async function loadConfigForDoctor(paths: string[]): Promise<Config> {
  return finalizeConfig(await loadConfigFiles(paths))
}
