/**
 * The `ctmpl` executable: `ctmpl dev …` starts the development agent,
 * `ctmpl doctor …` reviews a configuration, anything else runs the daemon
 * with consul-template's flags.
 */
import { setFlagsFromString } from 'node:v8'

// A daemon that holds little live data but allocates in bursts (a render
// pass over many templates) kept a young generation grown to V8's maximum:
// 133 MB RSS with 100 templates, of which 20 MB live heap. Sized for
// footprint, V8 gives memory back: 92 MB for the same run.
setFlagsFromString('--optimize-for-size')

const argv = process.argv.slice(2)
// Node ends a process whose event loop runs dry while main awaits with a
// silent 13, which is ctmpl's code for bad flags. Nothing in ctmpl should
// get there; if something does, say so and exit as a runner failure.
let finished = false
process.once('beforeExit', () => {
  if (finished) return
  process.stderr.write('ctmpl: stopped with nothing left to wait for (a bug); exiting 14\n')
  process.exit(14)
})
let code: number
switch (argv[0]) {
  case 'dev': {
    const { runDev } = await import('../devagent/cli.ts')
    code = await runDev(argv.slice(1))
    break
  }
  case 'doctor': {
    const { runDoctor } = await import('../doctor/cli.ts')
    code = await runDoctor(argv.slice(1))
    break
  }
  default: {
    const { runDaemon } = await import('./daemon.ts')
    code = await runDaemon(argv)
  }
}
finished = true
process.exitCode = code
