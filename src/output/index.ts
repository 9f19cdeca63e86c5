/** The output stage's public surface, for the runner and the doctor. */
export {
  installOutput, outputDefaults, PendingOutput, renderOutput,
} from './pipeline.ts'
export type {
  CheckSpec, OutputInput, OutputResult, OutputStages, StageResult, VerifySpec,
} from './pipeline.ts'
export {
  commitStaged, discardStaged, installAtomically, readCurrent, restorePrevious, stageFile,
} from './install.ts'
export type { InstallInput, InstallResult, PreviousFile, StagedFile } from './install.ts'
export { commandDefaults, runCommand, validateCommand } from './command.ts'
export type { CommandInput, CommandResult } from './command.ts'
export { pidDefaults, resolvePid, verifyConsumer } from './verify.ts'
export type { VerifyInput, VerifyResult, VerifyTarget } from './verify.ts'
export { CommandError, OutputError, VerifyError, formatCommand } from './errors.ts'
export type { CommandFacts, OutputErrorCode, VerifyFacts } from './errors.ts'
export { tmpDestinationWarning } from './warnings.ts'
export { isUnderTmp } from './mounts.ts'
export { guardPaths, recoverInterrupted } from './guard.ts'
