package http

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp/totp"

	"safedesk"
	"safedesk/passwd"
)

// dummyHash returns the hash verified against when the login is unknown, so that an
// unknown login takes as long as a wrong password and does not reveal which accounts
// exist. It is computed once, by Server.Init, not when the package loads: every command
// of the binary (a scan, a migration) would otherwise pay for it at start-up (~75 ms and
// 20 MB on a small VM).
var dummyHash = sync.OnceValue(func() string {
	h, _ := passwd.Hash("not a real password", passwd.Default)
	return h
})

func randomSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// signIn checks a login and password under the rate limits and returns the user. Every
// attempt is audited; a failure never says whether the login exists.
func (s *Server) signIn(ctx context.Context, r *http.Request, login, password string) (*safedesk.User, error) {
	login = safedesk.NormalizeEmail(login)
	// Only failures count against an address: a call centre signs hundreds of agents in
	// through one NAT address at the start of a shift.
	if blocked, wait := s.limits.loginIP.blocked(clientIP(r)); blocked {
		return nil, rateLimited(wait)
	}
	if blocked, wait := s.limits.loginFails.blocked(login); blocked {
		return nil, rateLimited(wait)
	}
	u, err := s.Users.FindUserByEmail(ctx, login)
	if err != nil && safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
		return nil, err
	}
	hash := dummyHash()
	if u != nil && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	ok, err := s.verifyPassword(ctx, password, hash)
	if err != nil {
		return nil, err
	}
	if !ok || u == nil || !u.Active || u.PasswordHash == "" {
		s.limits.loginFails.allow(login)
		s.limits.loginIP.allow(clientIP(r))
		s.Audit.Record(ctx, safedesk.AuditSignInFailed, login, map[string]string{"ip": clientIP(r)})
		return nil, safedesk.Localized(safedesk.EUNAUTHORIZED, "", "wrong_login", "Wrong login or password.")
	}
	return u, nil
}

// verifyPassword runs argon2id with bounded concurrency: each hash takes ~19 MiB and a core
// for tens of milliseconds, so a sign-in surge queues here and, past a few seconds, is told
// to retry instead of exhausting the machine.
func (s *Server) verifyPassword(ctx context.Context, password, hash string) (bool, error) {
	t := time.NewTimer(3 * time.Second)
	defer t.Stop()
	select {
	case s.hashing <- struct{}{}:
	case <-t.C:
		return false, safedesk.Errorf(safedesk.ERATELIMIT, "The server is busy signing other people in. Try again in a few seconds.")
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-s.hashing }()
	ok, err := passwd.Verify(password, hash)
	if err == passwd.ErrMalformed {
		return false, nil
	}
	return ok, err
}

// hashPassword hashes under the same bound as verification.
func (s *Server) hashPassword(ctx context.Context, password string) (string, error) {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-s.hashing }()
	return passwd.Hash(password, passwd.Default)
}

// startSession creates a browser session and sets its cookie. mfaPassed says whether the
// person has already shown a second factor (or has none to show).
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *safedesk.User, mfaPassed bool) error {
	secret := randomSecret()
	now := s.Clock.Now()
	ss := &safedesk.Session{ID: hashSecret(secret), UserID: u.ID, CSRF: randomSecret(), MFAPassed: mfaPassed,
		CreatedAt: now, ExpiresAt: now.Add(s.SessionTTL)}
	if err := s.Auth.CreateSession(r.Context(), ss); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, Expires: ss.ExpiresAt})
	return nil
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u != nil {
		return redirect(w, r, "/", "")
	}
	return s.render(w, r, "login.html", map[string]any{"Next": safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	login, next := r.PostFormValue("login"), safeNext(r.PostFormValue("next"))
	u, err := s.signIn(r.Context(), r, login, r.PostFormValue("password"))
	if err != nil {
		code := safedesk.ErrorCode(err)
		if code != safedesk.EUNAUTHORIZED && code != safedesk.ERATELIMIT {
			return err
		}
		status := statusOf[code]
		if code == safedesk.ERATELIMIT {
			w.Header().Set("Retry-After", "60")
		}
		s.renderStatus(w, r, status, "login.html", map[string]any{"Next": next, "Login": login, "Error": s.classify(r, err).Message, "Code": code})
		return nil
	}
	// A new session at every sign-in: an old cookie planted by someone else is never reused.
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.Auth.DeleteSession(r.Context(), hashSecret(c.Value))
	}
	if err := s.startSession(w, r, u, !u.MFAEnabled); err != nil {
		return err
	}
	ctx := safedesk.WithActor(r.Context(), safedesk.Actor{UserID: u.ID, Email: u.Email, Role: u.Role, IP: clientIP(r)})
	if err := s.Audit.Record(ctx, safedesk.AuditSignIn, u.ID, map[string]string{"via": "web"}); err != nil {
		return err
	}
	setLangCookie(w, s, u.Lang)
	switch {
	case u.MFAEnabled:
		return redirect(w, r, "/mfa?next="+next, "")
	case safedesk.MFARequired(u.Role):
		return redirect(w, r, "/mfa/setup", "")
	}
	return redirect(w, r, next, "")
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	id := who(r)
	if id.session != nil {
		if err := s.Auth.DeleteSession(r.Context(), id.session.ID); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	s.Audit.Record(r.Context(), safedesk.AuditSignOut, id.user.ID, nil)
	return redirect(w, r, "/login", "signed_out")
}

// loginRequest is the body of POST /api/v1/auth/login.
type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	OTP      string `json:"otp"`
}

// apiUser is the user as the API shows it.
type apiUser struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Email      string   `json:"email"`
	Roles      []string `json:"roles"`
	Team       string   `json:"team,omitempty"`
	EmployeeNo string   `json:"employee_no,omitempty"`
	Lang       string   `json:"lang"`
	Active     bool     `json:"active"`
	MFAEnabled bool     `json:"mfa_enabled"`
}

func toAPIUser(u *safedesk.User) apiUser {
	return apiUser{ID: u.ID, Name: u.Name, Email: u.Email, Roles: []string{u.Role}, Team: u.TeamName,
		EmployeeNo: u.EmployeeNo, Lang: u.Lang, Active: u.Active, MFAEnabled: u.MFAEnabled}
}

func (s *Server) handleAPILogin(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Login == "" || req.Password == "" {
		return safedesk.Errorf(safedesk.EINVALID, "Send login and password.")
	}
	u, err := s.signIn(r.Context(), r, req.Login, req.Password)
	if err != nil {
		if safedesk.ErrorCode(err) == safedesk.ERATELIMIT {
			w.Header().Set("Retry-After", "60")
		}
		return err
	}
	ctx := safedesk.WithActor(r.Context(), safedesk.Actor{UserID: u.ID, Email: u.Email, Role: u.Role, IP: clientIP(r)})
	// Once a person has enrolled MFA, the API asks for the code too.
	if u.MFAEnabled && !s.checkTOTP(u, req.OTP) {
		s.limits.loginFails.allow(u.Email)
		s.Audit.Record(ctx, safedesk.AuditSignInFailed, u.Email, map[string]string{"ip": clientIP(r), "reason": "otp"})
		return safedesk.Errorf(safedesk.EUNAUTHORIZED, "Send the current code from your authenticator app as otp.")
	}
	secret := randomSecret()
	now := s.Clock.Now()
	t := &safedesk.Token{UserID: u.ID, Name: "sign-in", Scopes: []string{safedesk.ScopeAPI}, CreatedAt: now, ExpiresAt: now.Add(s.TokenTTL)}
	if err := s.Auth.CreateToken(ctx, t, hashSecret(secret)); err != nil {
		return err
	}
	if err := s.Audit.Record(ctx, safedesk.AuditSignIn, u.ID, map[string]string{"via": "api"}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": secret, "expires_at": t.ExpiresAt, "user": toAPIUser(u)})
	return nil
}

func (s *Server) handleAPIMe(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, toAPIUser(currentUser(r)))
	return nil
}

// checkTOTP validates a six-digit code against the user's secret.
func (s *Server) checkTOTP(u *safedesk.User, code string) bool {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if u.MFASecret == "" || len(code) != 6 {
		return false
	}
	ok, err := totp.ValidateCustom(code, u.MFASecret, s.Clock.Now(), totpOpts)
	return err == nil && ok
}

// decodeJSON reads a JSON body of at most 1 MiB, refusing unknown fields.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return safedesk.Errorf(safedesk.EINVALID, "The request body is not valid JSON for this call: %s.", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}
