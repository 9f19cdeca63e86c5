/**
 * Cases over Consul data (services and KV pairs), rendered for the
 * expected values by scripts/reference-harness (consul-template's own
 * template package over a fixed brain). test/functions/data.ts builds the
 * same data for ctmpl.
 */
import type { FunctionCase } from './cases.ts'

const t = (template: string): FunctionCase => ({ template })

export const dataCases: FunctionCase[] = [
  t('{{ range $t, $s := service "web" | byTag }}{{ $t }}:' +
    '{{ range $s }}{{ .ID }},{{ end }};{{ end }}'),
  t('{{ service "web" | byTag | len }}'),
  t('{{ range index (service "web" | byTag) "prod" }}{{ .Node }} {{ end }}'),
  t('{{ range $p, $s := service "web" | byPort }}{{ $p }}={{ len $s }};{{ end }}'),
  t('{{ range $k, $s := service "web" | byMeta "version|int" }}{{ $k }}:' +
    '{{ range $s }}{{ .ID }}{{ end }};{{ end }}'),
  t('{{ range $k, $s := service "web" | byMeta "zone" }}{{ $k }}:' +
    '{{ range $s }}{{ .ID }}{{ end }};{{ end }}'),
  t('{{ range $k, $s := service "web" | byMeta "zone,version|int" }}{{ $k }};{{ end }}'),
  t('{{ range $k, $s := service "web" | byMeta "missing" }}{{ $k }}={{ len $s }};{{ end }}'),
  t('{{ service "bad" | byMeta "version|int" }}'),
  t('{{ range service "web" }}{{ if .Tags | contains "prod" }}{{ .ID }} {{ end }}{{ end }}'),
  t('{{ range service "web" }}{{ in .Tags "blue" }} {{ end }}'),
  t('{{ range service "web" }}{{ .Tags | containsAny (split "," "blue,green") }} {{ end }}'),
  t('{{ range service "web" }}{{ join "," .Tags }}|{{ end }}'),
  t('{{ range service "web" }}{{ .ServiceMeta | toJSON }}|{{ end }}'),
  t('{{ range service "web" }}{{ .ServiceMeta.version | parseInt | add 1 }} {{ end }}'),
  t('{{ range $top, $pairs := tree "app" | byKey }}{{ $top }}:' +
    '{{ range $k, $p := $pairs }}{{ $k }}={{ $p.Value }}({{ $p.Key }},{{ $p.Path }}) ' +
    '{{ end }};{{ end }}'),
  t('{{ tree "app" | explode | toJSON }}'),
  t('{{ (tree "app" | explode).svc.port }}'),
  t('{{ tree "clash" | explode }}'),
  t('{{ tree "app" | explode | toYAML }}'),
  t('{{ tree "app" | explode | toTOML }}'),
  t('{{ range tree "app" }}{{ .Key | toUpper }} {{ .Value | base64Encode }} {{ end }}'),
  t('{{ range tree "app" }}{{ scratch.MapSet "byval" .Value .Key }}{{ end }}' +
    '{{ range scratch.MapValues "byval" }}{{ . }},{{ end }}'),
  t('{{ range service "web" }}{{ scratch.MapSetX "ports" (print .Port) .ID }}{{ end }}' +
    '{{ scratch.MapValues "ports" }}'),
  t('{{ service "web" | len | multiply 2 }}'),
  t('{{ range service "web" }}{{ .Address | regexReplaceAll "\\\\." "_" }} {{ end }}'),
  t('{{ range service "web" }}{{ .Name | toTitle }}-{{ .Port | maximum 100 }} {{ end }}'),
  t('{{ tree "app" | toJSON }}'),
  t('{{ index (tree "app") 0 | toYAML }}'),
  t('{{ index (tree "app") 0 | toTOML }}'),
  t('{{ index (service "web") 0 | toJSON }}'),
  t('{{ index (service "web") 0 | toYAML }}'),
  t('{{ tree "app" | byKey | toJSON }}'),
  t('{{ service "web" | byTag | toJSON }}'),
]
