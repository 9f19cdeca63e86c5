/**
 * `ctmpl dev`: runs the development agent until SIGINT or SIGTERM.
 * Prints one line, `ctmpl dev: listening on http://HOST:PORT`, that
 * scripts and tests read to learn the port.
 */
import { pino } from 'pino'
import { FlagError, parseFlags, usageText, type FlagDef } from '../cli/flags.ts'
import type { Logger } from '../shared/logger.ts'
import { startDevAgent } from './agent.ts'

const flagDefs: Record<string, FlagDef> = {
  'http-addr': { kind: 'string', usage: 'Address to listen on (port 0 picks a free port). '
    + 'Default 127.0.0.1:8500.' },
  seed: { kind: 'string', usage: 'JSON file with nodes, services, checks and kv to load.' },
  node: { kind: 'string', usage: 'Name of the agent node. Default ctmpl-dev.' },
  datacenter: { kind: 'string', usage: 'Datacenter name. Default dc1.' },
  'acl-token': { kind: 'string', usage: 'Require this ACL token on every request.' },
  'max-conns-per-client': { kind: 'string',
    usage: 'Concurrent connections allowed per client address (0 = no limit). Default 200.' },
  'log-level': { kind: 'string', usage: 'trace, debug, info, warn or err. Default info.' },
  pretty: { kind: 'bool', usage: 'Pretty-print JSON as `consul agent -dev` does.' },
}

const levels: Record<string, string> = {
  trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', err: 'error',
  error: 'error',
}

/** Runs `ctmpl dev` with the given arguments; resolves to the exit code. */
export async function runDev(argv: string[]): Promise<number> {
  let values: Map<string, string>
  try {
    const parsed = parseFlags(argv, flagDefs)
    values = parsed.values
    if (parsed.rest.length > 0) {
      throw new FlagError(`unexpected argument: ${parsed.rest[0]}`)
    }
  } catch (err) {
    if (!(err instanceof FlagError)) throw err
    const help = err.message === 'help'
    if (!help) process.stderr.write(`${err.message}\n`)
    process.stderr.write(`Usage: ctmpl dev [options]\n\n${usageText(flagDefs)}`)
    return help ? 0 : 1
  }
  const addr = values.get('http-addr') ?? '127.0.0.1:8500'
  const colon = addr.lastIndexOf(':')
  const host = colon > 0 ? addr.slice(0, colon).replace(/^\[|\]$/g, '') : ''
  const port = Number(addr.slice(colon + 1))
  const maxConns = Number(values.get('max-conns-per-client') ?? '200')
  const level = levels[values.get('log-level') ?? 'info']
  const problems = [
    colon <= 0 || !Number.isInteger(port) || port < 0 || port > 65535
      ? `invalid -http-addr "${addr}": want HOST:PORT` : '',
    !Number.isInteger(maxConns) || maxConns < 0
      ? `invalid -max-conns-per-client "${values.get('max-conns-per-client')}"` : '',
    level === undefined ? `invalid -log-level "${values.get('log-level')}"` : '',
  ].filter((p) => p)
  if (problems.length > 0) {
    process.stderr.write(problems.join('\n') + '\n')
    return 1
  }
  const logger = pino({ level: level!, base: { component: 'dev' } },
    pino.destination(2)) as unknown as Logger
  const seed = values.get('seed')
  const node = values.get('node')
  const dc = values.get('datacenter')
  const token = values.get('acl-token')
  let agent
  try {
    agent = await startDevAgent({
      host, port, maxConnsPerClient: maxConns, logger,
      logRequests: level === 'debug' || level === 'trace',
      pretty: values.get('pretty') === 'true',
      ...(seed ? { seed } : {}),
      ...(node ? { nodeName: node } : {}),
      ...(dc ? { datacenter: dc } : {}),
      ...(token ? { aclToken: token } : {}),
    })
  } catch (err) {
    process.stderr.write(`ctmpl dev: ${(err as Error).message}\n`)
    return 1
  }
  process.stdout.write(`ctmpl dev: listening on ${agent.url}\n`)
  logger.info({ url: agent.url, index: agent.store.index }, 'development agent started')
  const signal = await new Promise<string>((resolve) => {
    const on = (sig: string): void => {
      process.off('SIGINT', on)
      process.off('SIGTERM', on)
      resolve(sig)
    }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
  logger.info({ signal }, 'stopping')
  await agent.stop()
  return 0
}
