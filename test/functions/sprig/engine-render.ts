/**
 * Renders a fixture template through ctmpl's engine the way the reference
 * renders it: template named "", missing keys as zero, errors prefixed with
 * the stage ("parse: " or "execute: ") as consul-template logs them.
 */
import { Template } from '../../../src/template/index.ts'
import { sprigFuncs } from '../../../src/functions/sprig/index.ts'

const funcs = sprigFuncs()

/** Renders like the reference: template named "", missing keys as zero. */
export function renderWithEngine(tmpl: string): { out?: string, err?: string } {
  let t: Template
  try {
    t = Template.parse('', tmpl, { funcs })
  } catch (e) {
    return { err: 'parse: ' + (e as Error).message }
  }
  try {
    return { out: t.execute(null, { missingKey: 'zero' }) }
  } catch (e) {
    return { err: 'execute: ' + (e as Error).message }
  }
}
