package machine

import (
	"encoding/binary"
	"math"
	"sort"
)

// Memory is a set of regions (segments), each a byte slice that grows as
// it is used. An address is the segment number shifted left by segShift
// plus the offset in it, so 0 and small numbers are never valid
// addresses. Every access is bounds checked: a bad one THROWs -9, as
// gforth's "Invalid memory address". An access never spans two segments.
const (
	segShift = 28
	segMask  = 1<<segShift - 1
)

const (
	segDict = 1 + iota // data space: HERE, ALLOT, CREATE ...
	segHeap            // ALLOCATE
	segSys             // system variables, hold buffer, PAD
	segStr             // ring of interpreted S" strings
	segLit             // strings compiled into definitions, names
	segSrc             // source text (a stack)
	numSegs
)

// Layout of segSys.
const (
	sysState    = 0
	sysBase     = 8
	sysIn       = 16
	sysHLD      = 24
	sysSpan     = 32
	sysWarnings = 40
	sysHoldBuf  = 64
	sysHoldSize = 256
	sysPad      = sysHoldBuf + sysHoldSize
	sysPadSize  = 1024
	sysSize     = sysPad + sysPadSize
)

// Addresses of the system variables.
var (
	varState = segAddr(segSys, sysState)
	varBase  = segAddr(segSys, sysBase)
	varIn    = segAddr(segSys, sysIn)
	varHLD   = segAddr(segSys, sysHLD)
	varSpan  = segAddr(segSys, sysSpan)
	varWarn  = segAddr(segSys, sysWarnings)
	holdEnd  = segAddr(segSys, sysPad)
	holdBuf  = segAddr(segSys, sysHoldBuf)
	padAddr  = segAddr(segSys, sysPad)
)

func segAddr(seg int, off int) Cell { return Cell(seg)<<segShift | Cell(off) }

type segment struct {
	data []byte
	fill byte // what memory not yet written holds (Config.Garbage)
	size int  // valid offsets are [0, size)
	top  int  // allocation pointer of segments used as a stack or a ring
}

type memory struct {
	seg  [numSegs]segment
	heap []hblock // the heap's blocks, by offset, covering [0, seg[segHeap].size)
}

// hblock is a block of the heap.
type hblock struct {
	off, size int
	free      bool
}

func (m *Machine) initMemory() {
	s := &m.mem.seg
	s[segDict].size = m.cfg.MemorySize
	s[segSys].size = sysSize
	s[segStr].size = m.cfg.StringSpace
	if m.cfg.Garbage {
		s[segDict].fill = garbageByte
		s[segHeap].fill = garbageByte
	}
}

// garbageByte is the pattern of memory not written yet under
// Config.Garbage: as a cell, a large negative number, as a character
// not a printable one.
const garbageByte = 0xA5

func (mm memory) clone() memory {
	c := mm
	for i := range c.seg {
		c.seg[i].data = append([]byte(nil), mm.seg[i].data...)
	}
	c.heap = append([]hblock(nil), mm.heap...)
	return c
}

// span returns the n bytes at a, growing the segment's storage as needed.
// n == 0 gives nil without checking a.
func (m *Machine) span(a, n Cell) []byte {
	if n == 0 {
		return nil
	}
	s := a >> segShift
	if a <= 0 || s >= numSegs || n < 0 {
		m.throw(-9)
	}
	seg := &m.mem.seg[s]
	off := a & segMask
	end := off + n
	if end > Cell(seg.size) || end < off {
		m.throw(-9)
	}
	if int(end) > len(seg.data) {
		seg.grow(int(end))
	}
	return seg.data[off:end:end]
}

// span2 returns two spans of n bytes; both stay valid together (getting
// the second cannot move the first).
func (m *Machine) span2(a, b, n Cell) ([]byte, []byte) {
	m.span(a, n)
	m.span(b, n)
	return m.span(a, n), m.span(b, n)
}

func (s *segment) grow(end int) {
	n := max(end, 2*len(s.data), 64)
	n = min(n, s.size)
	old := len(s.data)
	s.data = append(s.data, make([]byte, n-old)...)
	if s.fill != 0 {
		fresh := s.data[old:]
		for i := range fresh {
			fresh[i] = s.fill
		}
	}
}

// valid reports whether [a, a+n) is accessible.
func (m *Machine) valid(a, n Cell) bool {
	s := a >> segShift
	if a <= 0 || s >= numSegs || n < 0 {
		return false
	}
	off := a & segMask
	return off+n <= Cell(m.mem.seg[s].size)
}

func (m *Machine) fetch(a Cell) Cell {
	return Cell(binary.LittleEndian.Uint64(m.span(a, 8)))
}

func (m *Machine) store(a, v Cell) {
	binary.LittleEndian.PutUint64(m.span(a, 8), uint64(v))
}

func (m *Machine) cfetch(a Cell) Cell { return Cell(m.span(a, 1)[0]) }

func (m *Machine) cstore(a, v Cell) { m.span(a, 1)[0] = byte(v) }

func (m *Machine) ffetch(a Cell) float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64(m.span(a, 8)))
}

func (m *Machine) fstore(a Cell, f float64) {
	binary.LittleEndian.PutUint64(m.span(a, 8), math.Float64bits(f))
}

// str returns the string at a, n (a copy).
func (m *Machine) str(a, n Cell) string { return string(m.span(a, n)) }

// here is the data-space pointer.
func (m *Machine) here() Cell { return segAddr(segDict, m.mem.seg[segDict].top) }

// allot moves HERE by n bytes (back if n < 0).
func (m *Machine) allot(n Cell) {
	d := &m.mem.seg[segDict]
	t := Cell(d.top) + n
	if t < 0 || t > Cell(d.size) {
		m.throw(-8)
	}
	d.top = int(t)
}

// comma appends a cell to data space.
func (m *Machine) comma(v Cell) {
	a := m.here()
	m.allot(8)
	m.store(a, v)
}

func (m *Machine) ccomma(v Cell) {
	a := m.here()
	m.allot(1)
	m.cstore(a, v)
}

// align aligns HERE to a cell boundary.
func (m *Machine) align() {
	d := &m.mem.seg[segDict]
	if r := d.top % 8; r != 0 {
		m.allot(Cell(8 - r))
	}
}

func aligned(a Cell) Cell { return (a + 7) &^ 7 }

// allocLit stores b in the literal segment (strings compiled into
// definitions) and returns its address.
func (m *Machine) allocLit(b []byte) Cell {
	s := &m.mem.seg[segLit]
	off := s.top
	n := len(b)
	if off+n+1 > m.cfg.MemorySize {
		m.throw(-8)
	}
	s.top += n
	s.size = s.top
	if n == 0 {
		return segAddr(segLit, off)
	}
	copy(m.span(segAddr(segLit, off), Cell(n)), b)
	return segAddr(segLit, off)
}

// allocTransient stores b in the ring of interpreted strings.
func (m *Machine) allocTransient(b []byte) Cell {
	s := &m.mem.seg[segStr]
	n := len(b)
	if n > s.size {
		m.throw(-18)
	}
	if s.top+n > s.size {
		s.top = 0
	}
	off := s.top
	s.top += n
	a := segAddr(segStr, off)
	copy(m.span(a, Cell(n)), b)
	if n == 0 {
		return segAddr(segStr, off)
	}
	return a
}

// pushSource copies source text into the source segment; popSource(top)
// releases it.
func (m *Machine) pushSource(text string) (addr Cell, top int) {
	s := &m.mem.seg[segSrc]
	top = s.top
	m.inputUse += len(text)
	if m.inputUse > m.cfg.MaxInput || top+len(text) > maxSegment {
		m.limit(ErrInput)
	}
	s.top += len(text)
	s.size = s.top
	addr = segAddr(segSrc, top)
	copy(m.span(addr, Cell(len(text))), text)
	return addr, top
}

func (m *Machine) popSource(top int) {
	s := &m.mem.seg[segSrc]
	s.top = top
	s.size = top
	if len(s.data) > top {
		s.data = s.data[:top]
	}
}

// Heap: first fit over a block list. Blocks are 16-byte aligned.

const heapAlign = 16

// allocate returns the address of n new bytes, or ok false.
func (m *Machine) allocate(n Cell) (Cell, bool) {
	if n < 0 || n > Cell(m.cfg.HeapSize) {
		return 0, false
	}
	size := int((n + heapAlign - 1) &^ (heapAlign - 1))
	if size == 0 {
		size = heapAlign
	}
	mm := &m.mem
	for i, b := range mm.heap {
		if b.free && b.size >= size {
			if b.size > size {
				rest := hblock{off: b.off + size, size: b.size - size, free: true}
				mm.heap = append(mm.heap, hblock{})
				copy(mm.heap[i+2:], mm.heap[i+1:])
				mm.heap[i+1] = rest
			}
			mm.heap[i] = hblock{off: b.off, size: size}
			a := segAddr(segHeap, b.off)
			m.freshBlock(a, size)
			return a, true
		}
	}
	seg := &mm.seg[segHeap]
	if seg.size+size > m.cfg.HeapSize {
		return 0, false
	}
	off := seg.size
	seg.size += size
	mm.heap = append(mm.heap, hblock{off: off, size: size})
	a := segAddr(segHeap, off)
	m.freshBlock(a, size)
	return a, true
}

// freshBlock clears a new heap block, or fills it with garbage
// (Config.Garbage).
func (m *Machine) freshBlock(a Cell, size int) {
	b := m.span(a, Cell(size))
	fill := m.mem.seg[segHeap].fill
	for i := range b {
		b[i] = fill
	}
}

// heapBlock finds the allocated block starting at a.
func (m *Machine) heapBlock(a Cell) int {
	if a>>segShift != segHeap || a&segMask%heapAlign != 0 {
		return -1
	}
	off := int(a & segMask)
	h := m.mem.heap
	i := sort.Search(len(h), func(i int) bool { return h[i].off >= off })
	if i < len(h) && h[i].off == off && !h[i].free {
		return i
	}
	return -1
}

// free releases the block at a; false if a is not an allocated block.
func (m *Machine) free(a Cell) bool {
	i := m.heapBlock(a)
	if i < 0 {
		return false
	}
	mm := &m.mem
	mm.heap[i].free = true
	// Merge with the next and the previous free blocks.
	if i+1 < len(mm.heap) && mm.heap[i+1].free {
		mm.heap[i].size += mm.heap[i+1].size
		mm.heap = append(mm.heap[:i+1], mm.heap[i+2:]...)
	}
	if i > 0 && mm.heap[i-1].free {
		mm.heap[i-1].size += mm.heap[i].size
		mm.heap = append(mm.heap[:i], mm.heap[i+1:]...)
		i--
	}
	// A free block at the end gives its space back.
	if i == len(mm.heap)-1 {
		seg := &mm.seg[segHeap]
		seg.size = mm.heap[i].off
		mm.heap = mm.heap[:i]
		if len(seg.data) > seg.size {
			seg.data = seg.data[:seg.size]
		}
	}
	return true
}

// resize gives the block at a n bytes, moving it if needed.
func (m *Machine) resize(a, n Cell) (Cell, bool) {
	if a == 0 {
		return m.allocate(n)
	}
	i := m.heapBlock(a)
	if i < 0 || n < 0 || n > Cell(m.cfg.HeapSize) {
		return a, false
	}
	old := m.mem.heap[i].size
	if int(n) <= old {
		return a, true
	}
	b, ok := m.allocate(n)
	if !ok {
		return a, false
	}
	copy(m.span(b, Cell(old)), m.span(a, Cell(old)))
	m.free(a)
	return b, true
}
