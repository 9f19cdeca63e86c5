// Run by guard.test.ts as a separate process that gets SIGKILLed in the
// middle of a check: argv = destination, new contents, pid file for the check.
import { renderOutput } from '../../src/output/pipeline.ts'

const [destination, contents, pidFile] = process.argv.slice(2)
await renderOutput({ destination: destination!, contents: contents!,
  check: { command: `echo $$ > ${pidFile}; exec sleep 30`, timeoutMs: 0 } })
