/**
 * The watch layer: one View (long-poll loop) per distinct dependency key,
 * owned by a Watcher, feeding a Store; a Recorder per template execution
 * collects what the template used and what it still lacks.
 *
 * How the runner uses it:
 *
 *   const watcher = new Watcher({ context: { consul }, logger,
 *     blockQueryWaitMs, maxStaleMs, once, errOnFailedLookup, retry,
 *     onData: (dep) => markTemplatesDirty(dep.key),   // data is in store
 *     onError: (err) => exitWith(err),                // retries exhausted
 *     onServerError: (err) => log.error(err.message) })
 *   // per template execution:
 *   const rec = new Recorder(watcher.store)
 *   execute(template, consulFuncs(rec, { sandboxPath }))
 *   for (const dep of rec.missing.values()) watcher.add(dep)
 *   if (rec.complete) write(output)
 *   // after a full pass, with the union of every template's rec.used:
 *   watcher.retain(allUsedKeys)
 *   // shutdown:
 *   await watcher.stop()
 */
export { Recorder } from './recorder.ts'
export { defaultRetry, goDuration, retryFunc } from './retry.ts'
export type { RetryFn, RetryOptions } from './retry.ts'
export { Store } from './store.ts'
export type { Recalled } from './store.ts'
export { View, defaultViewTimings } from './view.ts'
export type { ViewInput, ViewTimings } from './view.ts'
export { Watcher, defaultTimings, watcherDefaults } from './watcher.ts'
export type { WatcherInput } from './watcher.ts'
