/** ctmpl's version, printed by `-v` and at start-up. */
export const version = 'v0.1.0'
