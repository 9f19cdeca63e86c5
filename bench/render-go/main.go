// Renders the same template as bench/render.ts with Go's text/template, for a
// side-by-side figure:
//
//	node --import tsx bench/render.ts --print-template > /tmp/render.tmpl
//	(cd bench/render-go && go run . /tmp/render.tmpl)
package main

import (
	"fmt"
	"io"
	"os"
	"syscall"
	"text/template"
	"time"
)

type HealthService struct {
	Node, NodeAddress, ID, Name, Address string
	Port                                 int
	Tags                                 []string
	ServiceMeta                          map[string]string
	Status                               string
}

func main() {
	src, _ := os.ReadFile(os.Args[1])
	var svcs []*HealthService
	for i := 0; i < 5000; i++ {
		addr := fmt.Sprintf("10.%d.%d.%d", (i>>16)&255, (i>>8)&255, i&255)
		tags := []string{"v1"}
		if i%3 == 0 {
			tags = []string{"primary", "v2"}
		}
		svcs = append(svcs, &HealthService{fmt.Sprintf("node-%d", i%50), addr, fmt.Sprintf("web-%d", i), "web", addr, 20000 + i%1000, tags, map[string]string{"zone": fmt.Sprintf("z%d", i%4), "weight": "10"}, "passing"})
	}
	t := template.Must(template.New("x").Option("missingkey=zero").Parse(string(src)))
	for i := 0; i < 10; i++ {
		t.Execute(io.Discard, svcs)
	}
	n := 50
	var r0, r1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	start := time.Now()
	for i := 0; i < n; i++ {
		t.Execute(io.Discard, svcs)
	}
	ms := float64(time.Since(start).Microseconds()) / 1000 / float64(n)
	syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
	cpu := time.Duration(r1.Utime.Nano() - r0.Utime.Nano() + r1.Stime.Nano() - r0.Stime.Nano())
	cpuMs := float64(cpu.Microseconds()) / 1000 / float64(n)
	fmt.Printf("go: %.1f ops/s, %.2f ms per render, %.2f CPU ms per render\n", 1000/ms, ms, cpuMs)
}
