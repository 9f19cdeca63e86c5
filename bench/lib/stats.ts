/** Small statistics for the report: percentiles and pair ratios. */

/** Returns the p-th percentile (0..1) of values, nearest-rank. */
export function percentile(values: number[], p: number): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return NaN
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))]!
}

/** Returns the median. */
export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return NaN
  const mid = Math.floor(v.length / 2)
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
}

/** Median, min and max of a list. */
export function spread(values: number[]): { median: number; min: number; max: number } {
  const v = values.filter((x) => Number.isFinite(x))
  return { median: median(v), min: Math.min(...v), max: Math.max(...v) }
}
