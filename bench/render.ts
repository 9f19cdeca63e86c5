// Renders an nginx-style upstream template over 5,000 service entries
// (GoStruct instances, as the health-service dependency gives them) with
// several printf calls per entry, and prints ops/s and ms per render.
//   node --import tsx bench/render.ts [--iterations N] [--print-template]
// bench/render-go renders the same template with Go's engine.
import { GoStruct, Template, stringMap } from '../src/template/index.ts'

class HealthService extends GoStruct {
  static override goType = 'dependency.HealthService'
  static override goPointer = true

  constructor(
    public Node: string,
    public NodeAddress: string,
    public ID: string,
    public Name: string,
    public Address: string,
    public Port: number,
    public Tags: string[],
    public ServiceMeta: Record<string, string>,
    public Status: string,
  ) {
    super()
  }
}

/** Returns n service entries spread over a few nodes. */
export function makeServices(n: number): HealthService[] {
  const out: HealthService[] = []
  for (let i = 0; i < n; i++) {
    const node = `node-${i % 50}`
    const addr = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
    out.push(new HealthService(node, addr, `web-${i}`, 'web', addr, 20000 + (i % 1000),
      i % 3 === 0 ? ['primary', 'v2'] : ['v1'], stringMap({ zone: `z${i % 4}`, weight: '10' }),
      'passing'))
  }
  return out
}

/** The benchmark template: several printf calls and a field chain per entry. */
export const benchTemplate = [
  'upstream web {',
  '  least_conn;',
  '{{- range $i, $s := . }}',
  '  server {{ printf "%s:%d" .Address .Port }} max_fails={{ printf "%d" 3 }}',
  '    {{- " " }}weight={{ .ServiceMeta.weight }};',
  '    {{- " " }}# {{ printf "%-12s %05d" .Node $i }} {{ .ID }}',
  '  {{- if eq .Status "passing" }}{{ printf " zone=%q" .ServiceMeta.zone }}{{ end }}',
  '  {{- range .Tags }} {{ printf "tag=%s" . }}{{ end }}',
  '{{- end }}',
  '}',
  '',
].join('\n')

function main(): void {
  if (process.argv.includes('--print-template')) {
    process.stdout.write(benchTemplate)
    return
  }
  const argIdx = process.argv.indexOf('--iterations')
  const iterations = argIdx > 0 ? Number(process.argv[argIdx + 1]) : 50
  const services = makeServices(5000)
  const t = Template.parse('upstream.ctmpl', benchTemplate)
  // Warm up so the JIT has seen the hot paths.
  let size = 0
  for (let i = 0; i < 10; i++) size = t.execute(services, { missingKey: 'zero' }).length
  const start = process.hrtime.bigint()
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < iterations; i++) t.execute(services, { missingKey: 'zero' })
  const cpu = process.cpuUsage(cpu0)
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / iterations
  // CPU time (all threads, GC included) is steadier than wall time on a
  // loaded machine; bench/render-go reports the same pair.
  const cpuMs = (cpu.user + cpu.system) / 1e3 / iterations
  console.log(`template render: 5000 entries, ${size} bytes out`)
  console.log(`${(1000 / ms).toFixed(1)} ops/s, ${ms.toFixed(2)} ms per render, ` +
    `${cpuMs.toFixed(2)} CPU ms per render`)
}

main()
