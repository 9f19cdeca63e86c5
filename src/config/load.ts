/**
 * Reading configuration files and the environment into layers. A path may
 * name a file or a folder; a folder's files are read recursively in lexical
 * order, links to folders not followed, as the reference does. Files are
 * HCL1 unless their first non-blank character is `{` (JSON).
 */
import { lstat, readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError, type ConfigProblem } from './ast.ts'
import { decodeConfig } from './decode.ts'
import { parseHcl } from './hcl.ts'
import { parseJson } from './json.ts'
import { emptyConfig, mergeConfig } from './merge.ts'
import type { PartialConfig, Position } from './types.ts'

/** Parses one file's text into a layer; throws ConfigError on any problem. */
export function parseConfig(text: string, filename: string): PartialConfig {
  const looksJson = /^[\s\ufeff]*\{/.test(text)
  const root = looksJson ? parseJson(text, filename) : parseHcl(text, filename)
  const { layer, problems } = decodeConfig(root)
  if (problems.length > 0) throw new ConfigError(problems)
  return layer
}

/** Lists the regular files under a folder, recursively, in lexical order. */
async function listFolder(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).sort()
  const out: string[] = []
  for (const name of names) {
    const path = join(dir, name)
    const st = await lstat(path)
    if (st.isDirectory()) out.push(...await listFolder(path))
    else if (st.isFile()) out.push(path)
    // Like the reference's walk, a link to a file is read; a link to a
    // folder is not descended into (the reference fails on it instead).
    else if (st.isSymbolicLink() && (await stat(path).catch(() => null))?.isFile()) {
      out.push(path)
    }
  }
  return out
}

/** Expands each path (file or folder) into the files to read, in order. */
export async function expandConfigPaths(paths: string[]): Promise<string[]> {
  const files: string[] = []
  for (const path of paths) {
    let st
    try {
      st = await lstat(path)
      if (st.isSymbolicLink()) st = await stat(path)
    } catch (err) {
      throw new ConfigError([{ keyPath: '', at: undefined,
        message: `${path}: missing file/folder (${errMessage(err)})` }], { cause: err })
    }
    if (st.isDirectory()) files.push(...await listFolder(path))
    else files.push(path)
  }
  return files
}

/**
 * Loads and merges the given files and folders, left to right (right-most
 * wins). Every file is read and checked before anything is returned, and
 * the problems of all files are reported together: the daemon never starts
 * with half a configuration.
 */
export async function loadConfigFiles(paths: string[]): Promise<PartialConfig> {
  const files = await expandConfigPaths(paths)
  let merged = emptyConfig()
  const problems: ConfigProblem[] = []
  for (const file of files) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      problems.push({ keyPath: '', at: undefined,
        message: `${file}: cannot read: ${errMessage(err)}` })
      continue
    }
    try {
      merged = mergeConfig(merged, parseConfig(text, file))
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      problems.push(...err.problems)
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return merged
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

const envAt = (name: string): Position => ({ file: `<env ${name}>`, line: 0, column: 0 })

/** Reads a boolean the way Go's strconv.ParseBool does; junk is ignored. */
function envBool(v: string | undefined): boolean | undefined {
  if (v === undefined || v === '') return undefined
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false
  return undefined
}

/**
 * The environment as the lowest layer, below every file and flag. It folds
 * in both what consul-template reads itself (CONSUL_HTTP_ADDR, CONSUL_TOKEN,
 * CT_LOG, CONSUL_TEMPLATE_LOG(_LEVEL)) and what its Consul client library
 * reads (CONSUL_HTTP_TOKEN, CONSUL_HTTP_TOKEN_FILE, CONSUL_HTTP_AUTH,
 * CONSUL_HTTP_SSL, CONSUL_HTTP_SSL_VERIFY, CONSUL_CACERT, CONSUL_CAPATH,
 * CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY, CONSUL_TLS_SERVER_NAME,
 * CONSUL_NAMESPACE), so the client needs no environment of its own.
 * CONSUL_TOKEN wins over CONSUL_HTTP_TOKEN, as with the reference.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): PartialConfig {
  const positions: Record<string, Position> = {}
  const pick = (key: string, ...names: string[]): string | undefined => {
    for (const n of names) {
      const v = env[n]?.trim()
      if (v) {
        positions[key] = envAt(n)
        return v
      }
    }
    return undefined
  }
  const auth = pick('consul.auth', 'CONSUL_HTTP_AUTH')
  const colon = auth?.indexOf(':') ?? -1
  const sslEnabled = envBool(env.CONSUL_HTTP_SSL)
  const sslVerify = envBool(env.CONSUL_HTTP_SSL_VERIFY)
  const layer: PartialConfig = {
    positions,
    logLevel: pick('log_level', 'CT_LOG', 'CONSUL_TEMPLATE_LOG', 'CONSUL_TEMPLATE_LOG_LEVEL'),
    consul: {
      address: pick('consul.address', 'CONSUL_HTTP_ADDR'),
      namespace: pick('consul.namespace', 'CONSUL_NAMESPACE'),
      token: pick('consul.token', 'CONSUL_TOKEN', 'CONSUL_HTTP_TOKEN'),
      tokenFile: pick('consul.token_file', 'CONSUL_HTTP_TOKEN_FILE'),
      auth: auth === undefined ? undefined : {
        username: colon < 0 ? auth : auth.slice(0, colon),
        password: colon < 0 ? '' : auth.slice(colon + 1),
      },
      ssl: {
        // Like the Consul client: these only fill in what files and flags
        // leave unset, and setting them does not by itself enable TLS
        // unless CONSUL_HTTP_SSL says so.
        enabled: sslEnabled,
        verify: sslVerify,
        caCert: pick('consul.ssl.ca_cert', 'CONSUL_CACERT'),
        caPath: pick('consul.ssl.ca_path', 'CONSUL_CAPATH'),
        cert: pick('consul.ssl.cert', 'CONSUL_CLIENT_CERT'),
        key: pick('consul.ssl.key', 'CONSUL_CLIENT_KEY'),
        serverName: pick('consul.ssl.server_name', 'CONSUL_TLS_SERVER_NAME'),
      },
    },
  }
  return mergeConfig(emptyConfig(), layer)
}
