package query

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/fastforth/fastforth/patterns"
)

// PatternsRequest searches, lists or shows patterns: by ID, by the words
// of a query, by category, or all of them.
type PatternsRequest struct {
	ID       string `json:"id,omitempty" jsonschema:"show the pattern with this ID"`
	Query    string `json:"query,omitempty" jsonschema:"rank the patterns by these words (of their names, tags and descriptions)"`
	Category string `json:"category,omitempty" jsonschema:"only the patterns of this category"`
	// Limit bounds the patterns returned (0: all).
	Limit int `json:"limit,omitempty" jsonschema:"at most this many patterns (0: all)"`
	// Brief leaves out the code and test templates.
	Brief bool `json:"brief,omitempty" jsonschema:"leave out the code and tests of each pattern"`
}

// Pattern is a pattern in answers, in the shape of `fastforth patterns
// --json`: the pattern's fields, and for search hits its score and the
// query words it matched.
type Pattern struct {
	*patterns.Pattern
	// File is relative to the working directory when it is below it.
	File    string   `json:"file"`
	Score   int      `json:"score,omitempty"`
	Matched []string `json:"matched,omitempty"`
}

// PatternsResult lists patterns (and the categories, when listing).
type PatternsResult struct {
	Patterns []Pattern `json:"patterns"`
	// Total is how many matched before Limit.
	Total      int                 `json:"total"`
	Categories []patterns.Category `json:"categories,omitempty"`
}

// PatternJSON is a pattern as the patterns commands print it.
func PatternJSON(p *patterns.Pattern) Pattern { return Pattern{Pattern: p, File: DisplayPath(p.File)} }

// DisplayPath makes an absolute path below the working directory
// relative, so that output does not depend on where the workspace is.
func DisplayPath(p string) string {
	if !filepath.IsAbs(p) {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}

// Patterns answers a patterns request.
func (s *Service) Patterns(ctx context.Context, req *PatternsRequest) (*PatternsResult, error) {
	l := s.Library()
	res := &PatternsResult{Patterns: []Pattern{}}
	if req.Limit < 0 {
		return nil, errf(CodeInvalid, "limit", "limit must be 0 (all) or more")
	}
	add := func(p Pattern) {
		res.Total++
		if req.Limit > 0 && len(res.Patterns) >= req.Limit {
			return
		}
		if req.Brief {
			c := *p.Pattern
			c.Code, c.Tests = "", ""
			p.Pattern = &c
		}
		res.Patterns = append(res.Patterns, p)
	}
	if req.Category != "" {
		if _, ok := l.Category(req.Category); !ok {
			var ids []string
			for _, c := range l.Categories() {
				ids = append(ids, c.ID)
			}
			return nil, errf(CodeNotFound, "category", "no category %q (categories: %s)", req.Category, strings.Join(ids, ", "))
		}
	}
	switch {
	case req.ID != "":
		if req.Query != "" {
			return nil, errf(CodeInvalid, "id", "give id or query, not both")
		}
		p := l.Get(req.ID)
		if p == nil {
			return nil, errf(CodeNotFound, "id", "no pattern %q (search with query)", req.ID)
		}
		add(PatternJSON(p))
	case req.Query != "":
		if len(req.Query) > 4096 {
			return nil, errf(CodeTooLarge, "query", "the query is too long")
		}
		for _, h := range l.Search(req.Query) {
			if req.Category != "" && h.Pattern.Category != req.Category {
				continue
			}
			p := PatternJSON(h.Pattern)
			p.Score, p.Matched = h.Score, h.Matched
			add(p)
		}
	default:
		list := l.All()
		if req.Category != "" {
			list = l.ByCategory(req.Category)
		}
		for _, p := range list {
			add(PatternJSON(p))
		}
		for _, c := range l.Categories() {
			if req.Category == "" || c.ID == req.Category {
				c.File = DisplayPath(c.File)
				res.Categories = append(res.Categories, c)
			}
		}
	}
	return res, nil
}

// String reads well on its own.
func (r *PatternsResult) String() string {
	var b strings.Builder
	if len(r.Patterns) == 1 && r.Total == 1 && r.Patterns[0].Code != "" {
		p := r.Patterns[0]
		fmt.Fprintf(&b, "%s: %s %s (%s)\n%s", p.ID, p.Name, p.Effect, p.Category, p.Description)
		for _, pr := range p.Params {
			fmt.Fprintf(&b, "\n  param %s (%s, default %s): %s", pr.ID, pr.Type, pr.Default, pr.Description)
		}
		fmt.Fprintf(&b, "\ncode:\n%s\ntests:\n%s", strings.TrimRight(p.Code, "\n"), strings.TrimRight(p.Tests, "\n"))
		return b.String()
	}
	fmt.Fprintf(&b, "%d pattern(s)", r.Total)
	if len(r.Patterns) < r.Total {
		fmt.Fprintf(&b, ", %d shown", len(r.Patterns))
	}
	for _, p := range r.Patterns {
		fmt.Fprintf(&b, "\n%-28s %-24s %s", p.ID, p.Effect, p.Name)
	}
	return b.String()
}
