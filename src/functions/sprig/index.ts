/**
 * The Sprig library (Masterminds/sprig v3.3) as consul-template v0.42.1
 * exposes it: the hermetic text function map, each name prefixed `sprig_`.
 * Hermetic means Sprig's clock, random-string, uuid, environment and DNS
 * functions are left out, so the reference has no `sprig_now` either.
 */
import type { FuncMap } from '../../template/func.ts'
import { certFuncs } from './certs.ts'
import { cryptoFuncs } from './crypto.ts'
import { dateFuncs } from './dates.ts'
import { defaultFuncs } from './defaults.ts'
import { dictFuncs } from './dicts.ts'
import { encodingFuncs } from './encoding.ts'
import { listFuncs } from './lists.ts'
import { mathFuncs } from './math.ts'
import { pathFuncs } from './paths.ts'
import { regexFuncs } from './regex.ts'
import { semverFuncs } from './semver.ts'
import { stringFuncs } from './strings.ts'
import { urlFuncs } from './url.ts'

let prefixed: FuncMap | undefined

/** Returns every Sprig function keyed by its unprefixed Sprig name. */
export function sprigByName(): FuncMap {
  return {
    ...stringFuncs(),
    ...listFuncs(),
    ...dictFuncs(),
    ...mathFuncs(),
    ...defaultFuncs(),
    ...encodingFuncs(),
    ...regexFuncs(),
    ...pathFuncs(),
    ...urlFuncs(),
    ...semverFuncs(),
    ...dateFuncs(),
    ...cryptoFuncs(),
    ...certFuncs(),
  }
}

/** Returns the Sprig functions under consul-template's `sprig_` names. The
 * functions keep no state, so one set is built and each caller gets its own
 * copy of the map. */
export function sprigFuncs(): FuncMap {
  if (!prefixed) {
    prefixed = {}
    for (const [name, fn] of Object.entries(sprigByName())) prefixed['sprig_' + name] = fn
  }
  return { ...prefixed }
}
