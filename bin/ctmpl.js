#!/usr/bin/env node
// Runs the bundled CLI. `npm ci` builds dist/ctmpl.mjs through the prepare
// script; a checkout without it falls back to the TypeScript sources.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const built = join(root, 'dist', 'ctmpl.mjs')
if (existsSync(built)) {
  await import(pathToFileURL(built).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href)
}
