package machine

import "bytes"

// A bounded subset of the file-access word set, without I/O: files are
// read through Config.Include and written to memory only (a file created
// by CREATE-FILE lives in the machine until it ends); STDOUT and STDERR
// write to the output buffer. The bytes held in files are bounded by
// Config.HeapSize.

// vfile is an open file.
type vfile struct {
	name   string
	data   []byte
	pos    int
	write  bool
	output bool // stdout or stderr: writes go to the output buffer
}

// Fileids are handles outside memory; 0 is never one.
const (
	fileBase   Cell = 13 << segShift
	fidStdin        = fileBase + 0
	fidStdout       = fileBase + 1
	fidStderr       = fileBase + 2
	firstFile       = 3
	iorNoEnt        = -512 - 2 // ENOENT
	iorBadFile      = -512 - 9 // EBADF
)

// maxFiles bounds the files open and the files written.
const maxFiles = 1024

// File access methods, as gforth's.
const (
	famRO  = 0
	famRW  = 2
	famWO  = 4
	famBin = 1
)

func (m *Machine) file(fid Cell) *vfile {
	m.initFiles()
	i := fid - fileBase
	if i < 0 || i >= Cell(len(m.files)) || m.files[i] == nil {
		return nil
	}
	return m.files[i]
}

func (m *Machine) initFiles() {
	if m.files == nil {
		m.files = []*vfile{{name: "stdin"}, {name: "stdout", write: true, output: true}, {name: "stderr", write: true, output: true}}
	}
}

// fileData returns the contents of the file name: one written in this
// machine, or one Config.Include reads.
func (m *Machine) fileData(name string) ([]byte, bool) {
	if d, ok := m.vfs[name]; ok {
		return d, true
	}
	if m.cfg.Include == nil {
		return nil, false
	}
	from := ""
	if f := m.fileSource(); f != nil {
		from = f.name
	}
	_, src, err := m.cfg.Include(name, from)
	if err != nil {
		return nil, false
	}
	return src, true
}

func (m *Machine) openFile(name string, data []byte, fam Cell) Cell {
	m.initFiles()
	f := &vfile{name: name, data: append([]byte(nil), data...), write: fam&^famBin != famRO}
	for i := firstFile; i < len(m.files); i++ {
		if m.files[i] == nil {
			m.files[i] = f
			return fileBase + Cell(i)
		}
	}
	if len(m.files) >= maxFiles {
		return 0
	}
	m.files = append(m.files, f)
	return fileBase + Cell(len(m.files)-1)
}

// vfsBytes is the size of the files written.
func (m *Machine) vfsBytes() int {
	n := 0
	for _, d := range m.vfs {
		n += len(d)
	}
	for _, f := range m.files {
		if f != nil && f.write && !f.output {
			n += len(f.data)
		}
	}
	return n
}

// writeFile writes b to f.
func (m *Machine) writeFile(f *vfile, b []byte) bool {
	if f.output {
		m.emitBytes(b)
		return true
	}
	if !f.write {
		return false
	}
	if m.vfsBytes()+len(b) > m.cfg.HeapSize {
		return false
	}
	end := f.pos + len(b)
	if end > len(f.data) {
		f.data = append(f.data, make([]byte, end-len(f.data))...)
	}
	copy(f.data[f.pos:], b)
	f.pos = end
	return true
}

// closeFile keeps what was written to a file.
func (m *Machine) closeFile(fid Cell) bool {
	f := m.file(fid)
	if f == nil || fid < fileBase+firstFile {
		return false
	}
	if f.write {
		if m.vfs == nil {
			m.vfs = map[string][]byte{}
		}
		if _, ok := m.vfs[f.name]; !ok && len(m.vfs) >= maxFiles {
			return false
		}
		m.vfs[f.name] = f.data
	}
	m.files[fid-fileBase] = nil
	return true
}

func (m *Machine) iorOf(ok bool, fail Cell) Cell {
	if ok {
		return 0
	}
	return fail
}

var fileWords = []prim{
	{name: "r/o", fn: constant(famRO)},
	{name: "r/w", fn: constant(famRW)},
	{name: "w/o", fn: constant(famWO)},
	{name: "bin", fn: unop(func(f Cell) Cell { return f | famBin })},
	{name: "stdin", fn: constant(fidStdin)},
	{name: "stdout", fn: constant(fidStdout)},
	{name: "stderr", fn: constant(fidStderr)},
	{name: "open-file", fn: func(m *Machine) {
		fam := m.pop()
		n := m.pop()
		name := m.str(m.pop(), n)
		data, ok := m.fileData(name)
		if !ok {
			m.push2(0, iorNoEnt)
			return
		}
		fid := m.openFile(name, data, fam)
		m.push2(fid, m.iorOf(fid != 0, iorNoEnt))
	}},
	{name: "create-file", fn: func(m *Machine) {
		fam := m.pop()
		n := m.pop()
		name := m.str(m.pop(), n)
		fid := m.openFile(name, nil, fam|famRW)
		m.push2(fid, m.iorOf(fid != 0, iorNoEnt))
	}},
	{name: "close-file", fn: func(m *Machine) { m.push(m.iorOf(m.closeFile(m.pop()), iorBadFile)) }},
	{name: "delete-file", fn: func(m *Machine) {
		n := m.pop()
		name := m.str(m.pop(), n)
		_, ok := m.vfs[name]
		delete(m.vfs, name)
		m.push(m.iorOf(ok, iorNoEnt))
	}},
	{name: "rename-file", fn: func(m *Machine) {
		n2 := m.pop()
		to := m.str(m.pop(), n2)
		n1 := m.pop()
		from := m.str(m.pop(), n1)
		d, ok := m.vfs[from]
		if ok {
			delete(m.vfs, from)
			m.vfs[to] = d
		}
		m.push(m.iorOf(ok, iorNoEnt))
	}},
	{name: "file-status", fn: func(m *Machine) {
		n := m.pop()
		_, ok := m.fileData(m.str(m.pop(), n))
		m.push2(famRO, m.iorOf(ok, iorNoEnt))
	}},
	{name: "read-file", fn: func(m *Machine) {
		f := m.file(m.pop())
		u := m.pop()
		a := m.pop()
		if f == nil || u < 0 {
			m.push2(0, iorBadFile)
			return
		}
		k := min(int(u), len(f.data)-f.pos)
		if k > 0 {
			copy(m.span(a, Cell(k)), f.data[f.pos:f.pos+k])
			f.pos += k
		}
		m.push2(Cell(max(k, 0)), 0)
	}},
	{name: "read-line", fn: func(m *Machine) {
		f := m.file(m.pop())
		u := m.pop()
		a := m.pop()
		if f == nil || u < 0 {
			m.push(0)
			m.push2(0, iorBadFile)
			return
		}
		if f.pos >= len(f.data) {
			m.push(0)
			m.push2(0, 0)
			return
		}
		rest := f.data[f.pos:]
		line := rest
		adv := len(rest)
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, adv = rest[:i], i+1
		}
		if len(line) > int(u) {
			line, adv = line[:u], int(u)
		}
		if n := len(line); n > 0 && line[n-1] == '\r' && adv > n {
			line = line[:n-1]
		}
		copy(m.span(a, Cell(len(line))), line)
		f.pos += adv
		m.push(Cell(len(line)))
		m.push2(-1, 0)
	}},
	{name: "write-file", fn: func(m *Machine) {
		f := m.file(m.pop())
		n := m.pop()
		a := m.pop()
		m.push(m.iorOf(f != nil && m.writeFile(f, append([]byte(nil), m.span(a, n)...)), iorBadFile))
	}},
	{name: "write-line", fn: func(m *Machine) {
		f := m.file(m.pop())
		n := m.pop()
		a := m.pop()
		m.push(m.iorOf(f != nil && m.writeFile(f, append(append([]byte(nil), m.span(a, n)...), '\n')), iorBadFile))
	}},
	{name: "emit-file", fn: func(m *Machine) {
		f := m.file(m.pop())
		c := m.pop()
		m.push(m.iorOf(f != nil && m.writeFile(f, []byte{byte(c)}), iorBadFile))
	}},
	{name: "flush-file", fn: func(m *Machine) { m.push(m.iorOf(m.file(m.pop()) != nil, iorBadFile)) }},
	{name: "file-position", fn: func(m *Machine) {
		f := m.file(m.pop())
		if f == nil {
			m.push2(0, 0)
			m.push(iorBadFile)
			return
		}
		m.push2(Cell(f.pos), 0)
		m.push(0)
	}},
	{name: "file-size", fn: func(m *Machine) {
		f := m.file(m.pop())
		if f == nil {
			m.push2(0, 0)
			m.push(iorBadFile)
			return
		}
		m.push2(Cell(len(f.data)), 0)
		m.push(0)
	}},
	{name: "reposition-file", fn: func(m *Machine) {
		f := m.file(m.pop())
		lo, hi := m.pop2()
		ok := f != nil && hi == 0 && lo >= 0 && lo <= Cell(len(f.data))
		if ok {
			f.pos = int(lo)
		}
		m.push(m.iorOf(ok, -36))
	}},
	{name: "resize-file", fn: func(m *Machine) {
		f := m.file(m.pop())
		lo, hi := m.pop2()
		ok := f != nil && f.write && !f.output && hi == 0 && lo >= 0 && int(lo) <= m.cfg.HeapSize
		if ok {
			if int(lo) <= len(f.data) {
				f.data = f.data[:lo]
			} else {
				f.data = append(f.data, make([]byte, int(lo)-len(f.data))...)
			}
			f.pos = min(f.pos, len(f.data))
		}
		m.push(m.iorOf(ok, iorBadFile))
	}},
	{name: "include-file", fn: func(m *Machine) {
		f := m.file(m.pop())
		if f == nil {
			m.throw(iorBadFile)
		}
		m.nesting++
		defer func() { m.nesting-- }()
		if m.nesting > m.cfg.MaxNesting {
			m.limit(ErrNesting)
		}
		m.interpretFile(f.name, string(f.data[f.pos:]))
	}},
}
