package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"safedesk"
)

// templates holds one parsed set per page: the layout plus the page.
type templates struct {
	pages map[string]*template.Template
}

func parseTemplates(assets *assetSet) (*templates, error) {
	funcs := template.FuncMap{
		"t":      tr,
		"asset":  assets.url,
		"date":   func(t time.Time) string { return t.Format("2006-01-02") },
		"dtime":  func(t time.Time) string { return t.Format("2006-01-02 15:04 MST") },
		"in":     func(t safedesk.Text, lang string) string { return t.In(lang) },
		"add":    func(a, b int) int { return a + b },
		"hasStr": slices.Contains[[]string, string],
		"deref":  func(p *int) int { return *p },
		"div":    func(a, b int) int { return a / b },
		"deref2": func(p *time.Time) time.Time { return *p },
	}
	names, err := fs.Glob(templateFS, "html/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" {
			continue
		}
		p, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "html/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		t.pages[base] = p
	}
	for _, required := range []string{"error.html", "login.html", "home.html", "lesson.html"} {
		if t.pages[required] == nil {
			return nil, fmt.Errorf("template %s is missing", required)
		}
	}
	return t, nil
}

// page is what every template receives.
type page struct {
	Lang    string
	User    *safedesk.User
	CSRF    string
	Path    string
	Unread  int
	Flash   string
	Data    any
	IsAdmin bool
	IsStaff bool
	CanRead bool
	// MFAPending hides the navigation while a person still owes their second factor.
	MFAPending bool
}

// render writes a page with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data any) error {
	s.renderStatus(w, r, http.StatusOK, name, data)
	return nil
}

// renderStatus renders into a buffer first, so a template error becomes a clean 500 rather
// than half a page.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	p := page{Lang: s.lang(r), Path: r.URL.Path, Data: data}
	if f := r.URL.Query().Get("flash"); f != "" {
		if hasMessage("flash." + f) {
			p.Flash = f
		}
	}
	if id := who(r); id != nil {
		p.User = id.user
		if id.session != nil {
			p.CSRF = id.session.CSRF
		}
		role := id.user.Role
		if id.session != nil {
			p.MFAPending = (id.user.MFAEnabled && !id.session.MFAPassed) || (!id.user.MFAEnabled && safedesk.MFARequired(role))
		}
		p.IsAdmin = role == safedesk.RoleAdmin
		p.IsStaff = role == safedesk.RoleAdmin || role == safedesk.RoleTrainer
		p.CanRead = p.IsStaff || role == safedesk.RoleAuditor
		if s.Notifications != nil {
			if _, n, err := s.Notifications.FindNotifications(r.Context(), id.user.ID, 1); err == nil {
				p.Unread = n
			}
		}
	}
	t := s.tmpl.pages[name]
	var buf bytes.Buffer
	if t == nil {
		s.Logger.Error("no template", "name", name)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.Logger.Error("render", "template", name, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// writeJSON writes v as JSON with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"Internal error."}}`)
	}
	// With its length known, a response goes out in one write, never chunked.
	writeJSONBytes(w, status, append(b, '\n'))
}

// jsonContentType is shared by every JSON response; net/http only reads it.
var jsonContentType = []string{"application/json; charset=utf-8"}

// writeJSONBytes writes an encoded JSON body (ending in a newline) in one write.
func writeJSONBytes(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	w.Write(b)
}

// redirect answers a form post with 303 to a page, optionally carrying a flash message key.
func redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "flash=" + flash
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return errHandled
}

// assetSet serves embedded assets under content-hashed URLs.
type assetSet struct {
	hash map[string]string
}

func newAssetSet() (*assetSet, error) {
	a := &assetSet{hash: map[string]string{}}
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assetFS, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hash[strings.TrimPrefix(p, "assets/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	return a, err
}

// url returns the versioned URL of an asset; an unknown name panics at template execution,
// which the start-up render check catches.
func (a *assetSet) url(name string) (string, error) {
	h, ok := a.hash[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return "/assets/" + name + "?v=" + h, nil
}

func (s *Server) handleAsset(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("path")
	h, ok := s.assets.hash[name]
	if !ok {
		return safedesk.Errorf(safedesk.ENOTFOUND, "Not found.")
	}
	b, err := fs.ReadFile(assetFS, "assets/"+name)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("v") == h {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Write(b)
	return nil
}

func percent(a, b int) int {
	if b <= 0 {
		return 0
	}
	return a * 100 / b
}

// maskEmail shows enough of an address to recognise it: z***@example.com.
func maskEmail(e string) string {
	at := strings.IndexByte(e, '@')
	if at <= 0 {
		return "***"
	}
	r := []rune(e[:at])
	return string(r[0]) + "***" + e[at:]
}
