package machine

import (
	"os"
	"path/filepath"
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
