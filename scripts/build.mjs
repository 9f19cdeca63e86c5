// Builds dist/ctmpl.mjs: the whole CLI in one ES module, so that start-up
// reads one file instead of resolving hundreds of modules (half the CPU of
// a -once run's start, measured with /usr/bin/time). Type checking is
// separate: `npm run typecheck`.
import { build } from 'esbuild'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outfile: join(root, 'dist', 'ctmpl.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS packages (pino, undici) call require(); give them one.
  banner: {
    js: "import { createRequire as __ctmplRequire } from 'node:module';\n" +
      'const require = __ctmplRequire(import.meta.url);',
  },
})
