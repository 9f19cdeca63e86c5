/** Path helpers for the doctor's checks (the doctor imports only config). */

/** True when `path` is `dir` or below it; every absolute path is below "/". */
export function isUnder(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(dir + '/')
}

/** True when `path` is under /tmp or /var/tmp, the two PrivateTmp= replaces. */
export function isUnderTmp(path: string): boolean {
  return isUnder(path, '/tmp') || isUnder(path, '/var/tmp')
}
