package http

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"safedesk"
)

// handlerFunc is a handler that returns its error for the server to answer in one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// identity is who is calling: a user through a browser session or an API token.
type identity struct {
	user    *safedesk.User
	session *safedesk.Session
	token   *safedesk.Token
}

type identityKey struct{}

// who returns the caller of r; it is nil on public routes without a sign-in.
func who(r *http.Request) *identity {
	id, _ := r.Context().Value(identityKey{}).(*identity)
	return id
}

// currentUser returns the signed-in user, or nil.
func currentUser(r *http.Request) *safedesk.User {
	if id := who(r); id != nil {
		return id.user
	}
	return nil
}

const sessionCookie = "sd_session"

// hashSecret is how session and token secrets are stored: SHA-256, hex. The secrets are
// 256-bit random values, so a fast hash is enough.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// wrap applies the route's access rules around its handler.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := s.identify(r)
		if err != nil {
			s.writeError(w, r, rt.API, err)
			return
		}
		ctx := r.Context()
		if id != nil {
			ctx = context.WithValue(ctx, identityKey{}, id)
			ctx = safedesk.WithActor(ctx, safedesk.Actor{UserID: id.user.ID, Email: id.user.Email, Role: id.user.Role, IP: clientIP(r)})
		} else {
			ctx = safedesk.WithActor(ctx, safedesk.Actor{IP: clientIP(r)})
		}
		r = r.WithContext(ctx)
		if err := s.authorize(w, r, rt, id); err != nil {
			if err != errHandled {
				s.writeError(w, r, rt.API, err)
			}
			return
		}
		if err := rt.h(w, r); err != nil && err != errHandled {
			s.writeError(w, r, rt.API, err)
		}
	})
}

// errHandled tells wrap that a response (such as a redirect) was already written.
var errHandled = fmt.Errorf("response already written")

// identify resolves the caller from a bearer token or the session cookie. A bearer header
// that does not resolve is an error; a stale cookie is simply ignored.
func (s *Server) identify(r *http.Request) (*identity, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || secret == "" {
			return nil, safedesk.Errorf(safedesk.EUNAUTHORIZED, "Use an Authorization: Bearer token.")
		}
		hash := hashSecret(strings.TrimSpace(secret))
		now := s.Clock.Now()
		s.tokens.refresh(ctx, now, s.Auth.IdentityEpoch)
		id, epoch := s.tokens.get(hash, now)
		if id != nil {
			return id, nil
		}
		t, err := s.Auth.FindTokenByHash(ctx, hash)
		if err != nil {
			if safedesk.ErrorCode(err) == safedesk.ENOTFOUND {
				return nil, safedesk.Errorf(safedesk.EUNAUTHORIZED, "The token is not valid or has expired.")
			}
			return nil, err
		}
		u, err := s.Users.FindUserByID(ctx, t.UserID)
		if err != nil || !u.Active {
			return nil, safedesk.Errorf(safedesk.EUNAUTHORIZED, "The token is not valid or has expired.")
		}
		id = &identity{user: u, token: t}
		s.tokens.put(hash, id, epoch, now)
		return id, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	ss, err := s.Auth.FindSession(ctx, hashSecret(c.Value))
	if err != nil {
		if safedesk.ErrorCode(err) == safedesk.ENOTFOUND {
			return nil, nil
		}
		return nil, err
	}
	u, err := s.Users.FindUserByID(ctx, ss.UserID)
	if err != nil || !u.Active {
		return nil, nil
	}
	return &identity{user: u, session: ss}, nil
}

// authorize enforces the route's roles, token scopes, the MFA gate and CSRF tokens.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, rt route, id *identity) error {
	if rt.Roles == nil {
		return nil
	}
	if id == nil {
		if !rt.API && r.Method == http.MethodGet {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return errHandled
		}
		return safedesk.Localized(safedesk.EUNAUTHORIZED, "", "sign_in_first", "Sign in first.")
	}
	if id.token != nil {
		if !id.token.HasScope(safedesk.ScopeAPI) && (rt.Scope == "" || !id.token.HasScope(rt.Scope)) {
			return safedesk.Errorf(safedesk.EFORBIDDEN, "This token's scope does not allow this request.")
		}
		if !rt.API {
			return safedesk.Errorf(safedesk.EFORBIDDEN, "Tokens are for the API; sign in to use the web pages.")
		}
	}
	if !slices.Contains(rt.Roles, id.user.Role) {
		// A metrics token may scrape whatever its owner's role.
		if !(id.token != nil && rt.Scope != "" && id.token.HasScope(rt.Scope)) {
			return safedesk.Localized(safedesk.EFORBIDDEN, "", "role_forbidden", "Your role does not allow this.")
		}
	}
	if id.session == nil {
		return nil
	}
	if !rt.PreMFA {
		if err := s.mfaGate(w, r, rt, id); err != nil {
			return err
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		got := r.Header.Get("X-CSRF-Token")
		if got == "" {
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				r.ParseMultipartForm(maxUpload)
			}
			got = r.PostFormValue("csrf")
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(id.session.CSRF)) != 1 {
			return safedesk.Localized(safedesk.EFORBIDDEN, "", "form_expired", "The form has expired. Reload the page and try again.")
		}
	}
	return nil
}

// mfaGate sends a browser session that still owes its second factor to enrol or verify.
func (s *Server) mfaGate(w http.ResponseWriter, r *http.Request, rt route, id *identity) error {
	target := ""
	switch {
	case id.user.MFAEnabled && !id.session.MFAPassed:
		target = "/mfa"
	case !id.user.MFAEnabled && safedesk.MFARequired(id.user.Role):
		target = "/mfa/setup"
	default:
		return nil
	}
	if rt.API || r.Method != http.MethodGet {
		return safedesk.Localized(safedesk.EFORBIDDEN, "", "mfa_first", "Complete two-step sign-in first.")
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return errHandled
}

// securityHeaders sets a strict content security policy (no inline script or style) and
// the other headers a security product should send.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	// Names are written canonically, so they go into the header map as they are.
	set := []fixedHeader{
		{"Content-Security-Policy", []string{"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"}},
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"X-Frame-Options", []string{"DENY"}},
		{"Referrer-Policy", []string{"same-origin"}},
		{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
		{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=()"}},
	}
	if s.SecureCookies {
		set = append(set, fixedHeader{"Strict-Transport-Security", []string{"max-age=31536000"}})
	}
	noStore := []string{"no-store"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The values are shared by every response: a handler that changes one sets a
		// new slice (Header.Set, Header.Add), never writes into these.
		h := w.Header()
		for _, kv := range set {
			h[kv.key] = kv.value
		}
		if !strings.HasPrefix(r.URL.Path, "/assets/") {
			h["Cache-Control"] = noStore
		}
		next.ServeHTTP(w, r)
	})
}

// fixedHeader is a header set on every response, its value shared by all of them.
type fixedHeader struct {
	key   string
	value []string
}

// recoverer turns a panic into a 500 and logs it with the stack, once.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.writeError(w, r, isAPIPath(r.URL.Path), fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe records each request in the metrics and, for server errors, the log.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		pattern := r.Pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		s.metrics.observe(pattern, sw.status, time.Since(start))
		if sw.status >= 500 {
			s.Logger.Warn("request failed", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
		}
	})
}

// clientIP is the remote address without the port. Deployments behind a proxy should
// terminate at a proxy that overwrites the connection address; forwarded headers are not
// trusted because any client can send them.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func isAPIPath(p string) bool { return strings.HasPrefix(p, "/api/") }
