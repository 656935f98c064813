module github.com/fastforth/fastforth

go 1.26.8
