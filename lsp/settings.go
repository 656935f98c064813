package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync/atomic"

	"github.com/fastforth/fastforth/analysis/builtins"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/fastforth/fastforth/analysis"
)

// Editor settings: the "fastforth" section, from initialize's
// initializationOptions, workspace/didChangeConfiguration and, when the
// client offers it, workspace/configuration. The command-line options
// are the defaults; each message's keys override the settings in force,
// keys it does not name keep their values, and a null value restores the
// default. Unknown keys are ignored; a value of the wrong type is logged
// and the old value kept.
//
// Settings are applied on the worker, in wire order with the edits and
// requests around them (event evConfig). A change of the analysis options
// (dialect, include paths, preloaded files, floats) starts a new
// analysis.Workspace and publishes every open document's diagnostics
// again; a change of the diagnostics filter publishes them again.

// settingsSection is the settings section the server reads.
const settingsSection = "fastforth"

// settings are the editor settings in force. A settings value is never
// changed once published (config.cur): a change makes a new one.
type settings struct {
	Dialect      string   // a dialect name; "" leaves it to the project file (else gforth)
	IncludePaths []string // absolute
	Preload      []string // absolute
	Floats       bool
	Diagnostics  diagSettings
	InlayHints   inlaySettings
	Format       formatSettings
}

type diagSettings struct {
	Enable  bool     // false: publish empty lists
	Disable []string // codes not to report
	Hints   bool     // report hint diagnostics (missing-stack-comment)
}

type inlaySettings struct {
	Effects        bool // the inferred effect after a definition's name
	StackAtLineEnd bool // the stack at the end of each line of a definition
}

type formatSettings struct {
	Enable bool
	Indent int // spaces per level when the request gives no tab size
}

// defaultSettings are the settings the command line gives.
func defaultSettings(a analysis.Options) *settings {
	st := &settings{
		Dialect:     a.Dialect,
		Floats:      !a.NoFloats,
		Diagnostics: diagSettings{Enable: true, Hints: true},
		InlayHints:  inlaySettings{Effects: true},
		Format:      formatSettings{Enable: true, Indent: 2},
	}
	// Relative command-line paths are relative to the server's directory,
	// those of the settings to the workspace: keep them apart by making
	// these absolute now.
	for _, p := range a.IncludePaths {
		st.IncludePaths = append(st.IncludePaths, cleanPath(p))
	}
	for _, p := range a.Preload {
		st.Preload = append(st.Preload, cleanPath(p))
	}
	return st
}

func (st *settings) clone() *settings {
	c := *st
	c.IncludePaths = slices.Clone(st.IncludePaths)
	c.Preload = slices.Clone(st.Preload)
	c.Diagnostics.Disable = slices.Clone(st.Diagnostics.Disable)
	return &c
}

// analysisOptions are the Workspace options the settings give, on top of
// base (the command line's, for what the settings do not cover).
func (st *settings) analysisOptions(base analysis.Options) analysis.Options {
	o := base
	o.Dialect = st.Dialect
	o.NoFloats = !st.Floats
	o.IncludePaths = slices.Clone(st.IncludePaths)
	o.Preload = slices.Clone(st.Preload)
	return o
}

// sameAnalysis reports whether two settings analyse alike.
func (st *settings) sameAnalysis(o *settings) bool {
	return st.Dialect == o.Dialect && st.Floats == o.Floats &&
		slices.Equal(st.IncludePaths, o.IncludePaths) && slices.Equal(st.Preload, o.Preload)
}

// merge returns the settings with the keys of raw (the section, a JSON
// object) applied; def gives the values null restores and root is the
// directory relative paths are relative to. warn receives each value
// that was not used.
func (st *settings) merge(raw []byte, def *settings, root string, warn func(string)) *settings {
	n := st.clone()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		warn(fmt.Sprintf("settings: %s is not an object", clip(raw)))
		return n
	}
	paths := func(key string, dst *[]string, defv []string) {
		var ps []string
		if !setValue(key, m[key], &ps, defv, warn) {
			return
		}
		if isNull(m[key]) {
			*dst = slices.Clone(defv)
			return
		}
		*dst = (*dst)[:0:0]
		for _, p := range ps {
			if p == "" {
				continue
			}
			if !filepath.IsAbs(p) && root != "" {
				p = filepath.Join(root, p)
			}
			*dst = append(*dst, cleanPath(p))
		}
	}
	for key, v := range m {
		switch key {
		case "dialect":
			var d string
			if setValue(key, v, &d, def.Dialect, warn) {
				if _, err := builtins.Get(d); err != nil {
					warn("settings: " + err.Error())
					continue
				}
				n.Dialect = d
			}
		case "includePaths":
			paths(key, &n.IncludePaths, def.IncludePaths)
		case "preload":
			paths(key, &n.Preload, def.Preload)
		case "floats":
			setValue(key, v, &n.Floats, def.Floats, warn)
		case "diagnostics":
			object(key, v, warn, func(sub map[string]json.RawMessage) {
				if sub == nil {
					n.Diagnostics = def.Diagnostics
					n.Diagnostics.Disable = slices.Clone(def.Diagnostics.Disable)
					return
				}
				setValue(key+".enable", sub["enable"], &n.Diagnostics.Enable, def.Diagnostics.Enable, warn)
				setValue(key+".disable", sub["disable"], &n.Diagnostics.Disable, def.Diagnostics.Disable, warn)
				setValue(key+".hints", sub["hints"], &n.Diagnostics.Hints, def.Diagnostics.Hints, warn)
			})
		case "inlayHints":
			object(key, v, warn, func(sub map[string]json.RawMessage) {
				if sub == nil {
					n.InlayHints = def.InlayHints
					return
				}
				setValue(key+".effects", sub["effects"], &n.InlayHints.Effects, def.InlayHints.Effects, warn)
				setValue(key+".stackAtLineEnd", sub["stackAtLineEnd"], &n.InlayHints.StackAtLineEnd, def.InlayHints.StackAtLineEnd, warn)
			})
		case "format":
			object(key, v, warn, func(sub map[string]json.RawMessage) {
				if sub == nil {
					n.Format = def.Format
					return
				}
				setValue(key+".enable", sub["enable"], &n.Format.Enable, def.Format.Enable, warn)
				var indent int
				if setValue(key+".indent", sub["indent"], &indent, def.Format.Indent, warn) {
					if indent < 0 || indent > 16 {
						warn(fmt.Sprintf("settings: format.indent must be between 0 and 16, not %d", indent))
					} else {
						n.Format.Indent = indent
					}
				}
			})
		}
	}
	return n
}

// setValue decodes v into dst: null sets def; absent (nil) leaves dst;
// a value of another type is reported and leaves dst. It reports whether
// dst was set.
func setValue[T any](key string, v json.RawMessage, dst *T, def T, warn func(string)) bool {
	if v == nil {
		return false
	}
	if isNull(v) {
		*dst = cloneValue(def)
		return true
	}
	var x T
	if err := json.Unmarshal(v, &x); err != nil {
		warn(fmt.Sprintf("settings: %s: %s is not a %s; keeping the previous value", key, clip(v), typeName(x)))
		return false
	}
	*dst = x
	return true
}

func cloneValue[T any](v T) T {
	if s, ok := any(v).([]string); ok {
		return any(slices.Clone(s)).(T)
	}
	return v
}

func typeName(v any) string {
	switch v.(type) {
	case bool:
		return "boolean"
	case string:
		return "string"
	case int:
		return "integer"
	case []string:
		return "list of strings"
	}
	return fmt.Sprintf("%T", v)
}

// object calls f with the members of the object v, or with nil when v is
// null; anything else is reported.
func object(key string, v json.RawMessage, warn func(string), f func(map[string]json.RawMessage)) {
	if isNull(v) {
		f(nil)
		return
	}
	var sub map[string]json.RawMessage
	if err := json.Unmarshal(v, &sub); err != nil {
		warn(fmt.Sprintf("settings: %s: %s is not an object; keeping the previous values", key, clip(v)))
		return
	}
	f(sub)
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// clip shortens a JSON value for a message.
func clip(v []byte) string {
	if len(v) > 80 {
		return string(v[:80]) + "..."
	}
	return string(v)
}

// section finds the fastforth section in settings sent by the client:
// an object with a "fastforth" member, or the section itself (an object
// with one of its keys). ok is false when neither is there (null, {},
// other tools' sections).
func section(raw []byte) (json.RawMessage, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || isNull(raw) {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	if v, ok := m[settingsSection]; ok {
		if isNull(v) {
			return nil, false
		}
		return v, true
	}
	for _, k := range []string{"dialect", "includePaths", "preload", "floats", "diagnostics", "inlayHints", "format"} {
		if _, ok := m[k]; ok {
			return raw, true
		}
	}
	return nil, false
}

// config is a server's settings and trace level. Safe for concurrent use.
type config struct {
	defaults *settings
	cur      atomic.Pointer[settings]
	trace    atomic.Int32 // a traceLevel

	// What the client supports, read at initialize.
	canPull      atomic.Bool // workspace/configuration
	diagRefresh  atomic.Bool // workspace/diagnostic/refresh
	inlayRefresh atomic.Bool // workspace/inlayHint/refresh
}

func newConfig(a analysis.Options) *config {
	c := &config{defaults: defaultSettings(a)}
	c.cur.Store(c.defaults)
	return c
}

func (c *config) get() *settings { return c.cur.Load() }

// rootDir is where the settings' relative paths start: the first
// workspace folder, as it is now.
func (w *worker) rootDir() string {
	if folders := w.space.list(); len(folders) > 0 {
		return folders[0]
	}
	return ""
}

// settings returns the settings in force.
func (w *worker) settings() *settings { return w.cfg.get() }

// applySettings applies a settings section (evConfig), on the worker.
func (w *worker) applySettings(ctx context.Context, raw []byte) {
	old := w.cfg.get()
	st := old.merge(raw, w.cfg.defaults, w.rootDir(), func(msg string) { w.log.Warn(msg) })
	w.cfg.cur.Store(st)
	w.log.Info("settings", zap.String("dialect", st.Dialect), zap.Strings("includePaths", st.IncludePaths),
		zap.Strings("preload", st.Preload), zap.Bool("floats", st.Floats), zap.Bool("diagnostics", st.Diagnostics.Enable),
		zap.Strings("disable", st.Diagnostics.Disable), zap.Bool("hints", st.Diagnostics.Hints))
	reanalyse := !st.sameAnalysis(old)
	if reanalyse {
		opts := st.analysisOptions(w.s.opts.Analysis)
		// Projects are opened again with the new settings over them.
		w.projects = map[string]*lspProject{}
		w.rootOf = map[string]string{}
		for _, d := range w.docs {
			d.analyzed, d.result = nil, nil
		}
		if st.Dialect != old.Dialect || st.Floats != old.Floats {
			// The index reads definitions the way the analysis does.
			cfg := opts.Reader()
			w.indexer.push(indexJob{scan: w.space.list(), cfg: &cfg})
		}
	}
	refilter := !slices.Equal(st.Diagnostics.Disable, old.Diagnostics.Disable) ||
		st.Diagnostics.Enable != old.Diagnostics.Enable || st.Diagnostics.Hints != old.Diagnostics.Hints
	if reanalyse || refilter {
		for _, d := range w.docs {
			d.hasPublished = false
			w.dirty[d] = true
		}
		if !w.s.push.Load() && w.cfg.diagRefresh.Load() {
			w.s.refresh(protocol.MethodWorkspaceDiagnosticRefresh)
		}
	}
	if (reanalyse || st.InlayHints != old.InlayHints) && w.cfg.inlayRefresh.Load() {
		w.s.refresh(protocol.MethodWorkspaceInlayHintRefresh)
	}
}

// filterDiagnostics drops the diagnostics the settings switch off. The
// result is never nil.
func filterDiagnostics(st *settings, ds []protocol.Diagnostic) []protocol.Diagnostic {
	if !st.Diagnostics.Enable {
		return []protocol.Diagnostic{}
	}
	if len(st.Diagnostics.Disable) == 0 && st.Diagnostics.Hints {
		if ds == nil {
			return []protocol.Diagnostic{}
		}
		return ds
	}
	out := make([]protocol.Diagnostic, 0, len(ds))
	for _, d := range ds {
		if !st.Diagnostics.Hints && d.Severity == protocol.DiagnosticSeverityHint {
			continue
		}
		if code, ok := d.Code.(protocol.String); ok && slices.Contains(st.Diagnostics.Disable, string(code)) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// readSettings reads, from initialize's params, the initial trace level, what the client supports of the settings requests
// and the initialization options, which are queued to apply before
// anything else. It reads leniently: a field of an unexpected shape is
// ignored.
func (s *server) readSettings(raw jsonrpc2.RawMessage) {
	var p struct {
		Trace        string          `json:"trace"`
		InitOptions  json.RawMessage `json:"initializationOptions"`
		Capabilities struct {
			Workspace struct {
				Configuration bool `json:"configuration"`
				Diagnostics   struct {
					RefreshSupport bool `json:"refreshSupport"`
				} `json:"diagnostics"`
				InlayHint struct {
					RefreshSupport bool `json:"refreshSupport"`
				} `json:"inlayHint"`
			} `json:"workspace"`
		} `json:"capabilities"`
	}
	// Errors only mean that some field had another shape: what could be
	// read is used.
	_ = json.Unmarshal(raw, &p)
	c := s.work.cfg
	c.trace.Store(int32(parseTrace(p.Trace)))
	c.canPull.Store(p.Capabilities.Workspace.Configuration)
	c.diagRefresh.Store(p.Capabilities.Workspace.Diagnostics.RefreshSupport)
	c.inlayRefresh.Store(p.Capabilities.Workspace.InlayHint.RefreshSupport)
	if sec, ok := section(p.InitOptions); ok {
		s.work.q.push(event{kind: evConfig, config: sec})
	}
}

// settingsInitialized pulls the settings at the initialized notification
// when the client offers them.
func (s *server) settingsInitialized() {
	if s.work.cfg.canPull.Load() {
		s.pullSettings()
	}
}

// didChangeConfiguration applies workspace/didChangeConfiguration: the
// settings it carries, or, when it carries none of ours (VS Code sends
// null with the pull model), those pulled with workspace/configuration.
func (s *server) didChangeConfiguration(raw jsonrpc2.RawMessage) error {
	var p struct {
		Settings json.RawMessage `json:"settings"`
	}
	if len(raw) > 0 && !isNull(json.RawMessage(raw)) {
		if err := json.Unmarshal(raw, &p); err != nil {
			return errInvalidParams("%v", err)
		}
	}
	if sec, ok := section(p.Settings); ok {
		s.work.q.push(event{kind: evConfig, config: sec})
		return nil
	}
	if s.work.cfg.canPull.Load() {
		s.pullSettings()
	}
	return nil
}

// pullSettings asks the client for the fastforth section and queues the
// answer. The request waits for the client's answer, which the reading
// goroutine must go on reading: it runs on its own goroutine.
func (s *server) pullSettings() {
	if s.conn == nil {
		return
	}
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("pulling settings panicked", zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			}
		}()
		sec := settingsSection
		params := &protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: &sec}}}
		var res []json.RawMessage
		if _, err := s.conn.Call(s.ctx, protocol.MethodWorkspaceConfiguration, params, &res); err != nil {
			s.log.Warn("workspace/configuration", zap.Error(err))
			return
		}
		if len(res) == 0 || isNull(res[0]) {
			return
		}
		// The answer is the section itself; accept it wrapped too.
		v := res[0]
		if sec, ok := section(v); ok {
			v = sec
		}
		s.work.q.push(event{kind: evConfig, config: v})
	}()
}

// refresh asks the client to pull again (diagnostics, inlay hints),
// without waiting on the worker for its answer.
func (s *server) refresh(method string) {
	if s.conn == nil {
		return
	}
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("refresh panicked", zap.String("method", method), zap.Any("panic", r))
			}
		}()
		var res json.RawMessage
		if _, err := s.conn.Call(s.ctx, method, nil, &res); err != nil {
			s.log.Debug("refresh", zap.String("method", method), zap.Error(err))
		}
	}()
}
