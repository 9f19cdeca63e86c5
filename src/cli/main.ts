/**
 * The `ctmpl` executable: `ctmpl dev …` starts the development agent,
 * `ctmpl doctor …` reviews a configuration, anything else runs the daemon
 * with consul-template's flags.
 */
const argv = process.argv.slice(2)
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
process.exitCode = code
