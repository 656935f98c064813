package machine

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// OSFiles is a Config.Include that reads files from the operating system:
// a relative name is looked up next to the including file, then in the
// current directory. The canonical name is the absolute path.
func OSFiles(name, from string) (string, []byte, error) {
	var tries []string
	if filepath.IsAbs(name) {
		tries = []string{name}
	} else {
		if from != "" {
			tries = append(tries, filepath.Join(filepath.Dir(from), name))
		}
		tries = append(tries, name)
	}
	var err error
	for _, p := range tries {
		var src []byte
		if src, err = os.ReadFile(p); err == nil {
			abs, aerr := filepath.Abs(p)
			if aerr != nil {
				abs = filepath.Clean(p)
			}
			return abs, src, nil
		}
	}
	return "", nil, err
}

// FSFiles returns a Config.Include that reads files from fsys (slash
// separated names): a name is looked up next to the including file, then
// from the root of fsys.
func FSFiles(fsys fs.FS) func(name, from string) (string, []byte, error) {
	return func(name, from string) (string, []byte, error) {
		var tries []string
		if from != "" && !path.IsAbs(name) {
			tries = append(tries, path.Join(path.Dir(from), name))
		}
		tries = append(tries, path.Clean(strings.TrimPrefix(name, "/")))
		var err error
		for _, p := range tries {
			var src []byte
			if src, err = fs.ReadFile(fsys, p); err == nil {
				return p, src, nil
			}
		}
		return "", nil, err
	}
}
