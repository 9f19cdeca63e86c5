module ctmpl/bench/render-go

go 1.22
