// Reference harness for helper functions that take Consul data (byTag,
// byMeta, byKey, explode, ...). It renders templates with consul-template
// v0.42.1's own template package over a fixed brain, so the expected
// outputs come from the reference code without a Consul server.
// Built by scripts/gen-function-fixtures.ts inside a copy of the module.
package main

import (
	"encoding/json"
	"os"

	dep "github.com/hashicorp/consul-template/dependency"
	tmpl "github.com/hashicorp/consul-template/template"
)

func main() {
	var cases []string
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	brain := tmpl.NewBrain()
	svc, _ := dep.NewHealthServiceQuery("web")
	brain.Remember(svc, []*dep.HealthService{
		{Node: "n1", Address: "10.0.0.1", ID: "web1", Name: "web", Port: 80,
			Tags:        dep.ServiceTags{"blue", "prod"},
			ServiceMeta: map[string]string{"version": "2", "zone": "a.b"}},
		{Node: "n2", Address: "10.0.0.2", ID: "web2", Name: "web", Port: 8080,
			Tags:        dep.ServiceTags{"green", "prod"},
			ServiceMeta: map[string]string{"version": "10"}},
		{Node: "n3", Address: "10.0.0.3", ID: "web3", Name: "web", Port: 80,
			Tags:        dep.ServiceTags{},
			ServiceMeta: map[string]string{"version": "", "zone": "c d"}},
	})
	bad, _ := dep.NewHealthServiceQuery("bad")
	brain.Remember(bad, []*dep.HealthService{
		{Node: "n9", ID: "bad1", Name: "bad", ServiceMeta: map[string]string{"version": "x1"}},
	})
	kv, _ := dep.NewKVListQuery("app")
	brain.Remember(kv, []*dep.KeyPair{
		{Path: "app/a", Key: "a", Value: "1"},
		{Path: "app/svc/port", Key: "svc/port", Value: "8080"},
		{Path: "app/svc/host", Key: "svc/host", Value: "h"},
		{Path: "app/db/user", Key: "db/user", Value: "u"},
		{Path: "app/db/x/y", Key: "db/x/y", Value: "deep"},
	})
	clash, _ := dep.NewKVListQuery("clash")
	brain.Remember(clash, []*dep.KeyPair{
		{Path: "clash/a", Key: "a", Value: "1"},
		{Path: "clash/a/b", Key: "a/b", Value: "2"},
	})
	out := []map[string]string{}
	for _, c := range cases {
		t, err := tmpl.NewTemplate(&tmpl.NewTemplateInput{Contents: c})
		if err != nil {
			out = append(out, map[string]string{"error": err.Error()})
			continue
		}
		res, err := t.Execute(&tmpl.ExecuteInput{Brain: brain})
		if err != nil {
			out = append(out, map[string]string{"error": err.Error()})
			continue
		}
		out = append(out, map[string]string{"output": string(res.Output)})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
