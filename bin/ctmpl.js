#!/usr/bin/env node
// Runs the compiled CLI. `npm ci` builds dist/ through the prepare script;
// a checkout without dist/ falls back to running the TypeScript sources.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const built = join(root, 'dist', 'src', 'cli', 'main.js')
if (existsSync(built)) {
  await import(pathToFileURL(built).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href)
}
