/**
 * Start-up warnings about destinations that are likely to be invisible to
 * their consumer.
 */
import { isAbsolute, resolve } from 'node:path'
import { isUnderTmp } from './mounts.ts'

/**
 * Returns a warning when the destination is under /tmp or /var/tmp (a
 * consumer running with systemd's PrivateTmp=true has its own and will never
 * see the file), else null.
 */
export function tmpDestinationWarning(destination: string): string | null {
  const path = isAbsolute(destination) ? destination : resolve(destination)
  if (!isUnderTmp(path)) return null
  const dir = path === '/var/tmp' || path.startsWith('/var/tmp/') ? '/var/tmp' : '/tmp'
  return `destination ${destination} is under ${dir}: a consumer whose systemd ` +
    'unit has PrivateTmp=true has its own private ' + dir + ' and will never see ' +
    'this file; render next to the consumer\'s configuration instead, or add ' +
    '`verify { pid_file = ... }` to prove it is seen (`ctmpl doctor` checks the units)'
}
