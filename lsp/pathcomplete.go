package lsp

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/scan"
)

// File-name completion: on the file name after include, require or needs,
// or inside the string of `s" file" included` (or required), completion
// offers the Forth files and the directories next to the document and in
// the include paths, replacing the part of the path typed so far.

// includeWords take a file name as the next word.
var includeWords = map[string]bool{"include": true, "require": true, "needs": true}

// pathCompletion returns the file-name completion at pos when the cursor
// is on a file name; ok is false elsewhere. It reads the text on the
// worker and the directories off it.
func (w *worker) pathCompletion(snap *snapshot, pos protocol.Position) (fn compute, ok bool) {
	off := toOffset(snap.file, pos, snap.enc)
	start, ok := pathAt(snap, off)
	if !ok {
		return nil, false
	}
	partial := string(snap.file.Src[start:off])
	var dirs []string
	if snap.uri.IsFile() {
		dirs = append(dirs, filepath.Dir(docName(snap.uri)))
	}
	dirs = append(dirs, w.settings().IncludePaths...)
	rng := toRange(snap.file, start, off, snap.enc)
	return func(ctx context.Context) (any, error) {
		items, more := pathItems(partial, dirs, rng)
		return &protocol.CompletionList{Items: items, IsIncomplete: more}, nil
	}, true
}

// pathAt finds the file name the cursor at off is on and returns where
// it starts; ok is false when off is not on one. It reads the cursor's
// line the way Forth does: words, with comments and strings skipped.
func pathAt(snap *snapshot, off int) (start int, ok bool) {
	src := snap.file.Src
	line := snap.file.Position(off).Line
	ls, le := snap.file.LineStart(line), snap.file.LineEnd(line)
	if inComment(snap, ls) {
		return 0, false
	}
	var sc scan.Scanner
	sc.Init(src[:le])
	sc.SetOffset(ls)
	var lower []byte
	for {
		s, e, more := sc.Word()
		if !more || s >= off {
			return 0, false
		}
		lower = scan.Lower(lower[:0], src[s:e])
		switch w := string(lower); {
		case w == `\` || w == `\g`:
			return 0, false
		case w == "(" || w == ".(":
			if _, _, closed := sc.Until(')', false); !closed || sc.Offset() > off {
				return 0, false
			}
		case w == `s"` || w == `s\"` || w == `c"` || w == `."` || w == `abort"`:
			as, ae, closed := sc.Until('"', false)
			if off < as || off > ae {
				continue
			}
			// The cursor is in the string: a file name when it is
			// closed and given to included or required.
			if w != `s"` || !closed {
				return 0, false
			}
			ns, ne, _ := sc.Word()
			if next := strings.ToLower(string(src[ns:ne])); next != "included" && next != "required" {
				return 0, false
			}
			return as, true
		case includeWords[w]:
			if e >= off {
				return 0, false // on the word itself
			}
			ps, pe, has := sc.Word()
			if !has || ps >= off {
				// Nothing typed yet: the cursor is in the blanks.
				return off, true
			}
			if off <= pe {
				return ps, true
			}
		}
	}
}

// inComment reports whether off lies inside a comment that started
// before it (a multi-line one).
func inComment(snap *snapshot, off int) bool {
	f := snap.result.File
	for _, c := range f.Comments {
		if f.TopAbs(c.Start) < off && off < f.TopAbs(c.End) {
			return true
		}
	}
	for _, d := range f.Defs {
		for _, c := range d.Comments {
			if f.Abs(d.Epoch, c.Start) < off && off < f.Abs(d.Epoch, c.End) {
				return true
			}
		}
	}
	return false
}

// pathItems lists the directories and Forth files that complete partial,
// looked for relative to each of dirs (or as is when absolute); each
// item's edit replaces rng (the partial path).
//
// At most maxPathItems are returned (the first by name), with more true
// when there were others: the list is then incomplete and the client asks
// again as more of the name is typed. A directory is read in batches and
// only names with the prefix are kept, so a folder of 100,000 files costs
// its reading, not 100,000 items.
func pathItems(partial string, dirs []string, rng protocol.Range) ([]protocol.CompletionItem, bool) {
	slash := strings.LastIndexByte(partial, '/')
	dirPart, base := partial[:slash+1], partial[slash+1:]
	var roots []string
	if filepath.IsAbs(partial) {
		roots = []string{""}
	} else {
		roots = dirs
	}
	items := []protocol.CompletionItem{}
	seen := map[string]bool{}
	for _, root := range roots {
		dir := filepath.Join(root, filepath.FromSlash(dirPart))
		if dirPart == "" {
			dir = root
		}
		entries := readDirPrefix(dir, base)
		for _, e := range entries {
			name := e.Name()
			if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
				continue
			}
			isDir := e.IsDir()
			if e.Type()&os.ModeSymlink != 0 {
				if fi, err := os.Stat(filepath.Join(dir, name)); err == nil {
					isDir = fi.IsDir()
				}
			}
			label, kind := name, protocol.CompletionItemKindFile
			if isDir {
				label, kind = name+"/", protocol.CompletionItemKindFolder
			} else if !isForthFile(name) {
				continue
			}
			if seen[label] {
				continue
			}
			seen[label] = true
			text := dirPart + label
			items = append(items, protocol.CompletionItem{
				Label:      label,
				Kind:       kind,
				Detail:     protocol.NewOptional(filepath.Join(dir, name)),
				FilterText: protocol.NewOptional(text),
				SortText:   protocol.NewOptional(label),
				TextEdit:   &protocol.TextEdit{Range: rng, NewText: text},
			})
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Label < items[j].Label })
	if len(items) > maxPathItems {
		return items[:maxPathItems], true
	}
	return items, false
}

// maxPathItems bounds the file and directory names one completion offers.
const maxPathItems = 500

// maxDirEntries bounds the entries of one directory read for completion.
const maxDirEntries = 200_000

// readDirPrefix reads the entries of dir whose names start with prefix,
// in batches, reading at most maxDirEntries.
func readDirPrefix(dir, prefix string) []os.DirEntry {
	f, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []os.DirEntry
	for read := 0; read < maxDirEntries; {
		batch, err := f.ReadDir(1024)
		read += len(batch)
		for _, e := range batch {
			if strings.HasPrefix(e.Name(), prefix) {
				out = append(out, e)
			}
		}
		if err != nil || len(batch) == 0 {
			break
		}
	}
	return out
}
