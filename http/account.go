package http

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"safedesk"
)

func (s *Server) handleAccountPage(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	tokens, err := s.Auth.FindTokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, "account.html", map[string]any{"Tokens": tokens})
}

func (s *Server) handleAccountPassword(w http.ResponseWriter, r *http.Request) error {
	id := who(r)
	u := id.user
	current, next := r.PostFormValue("current"), r.PostFormValue("new")
	ok, err := s.verifyPassword(r.Context(), current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return safedesk.FieldError("current", "%s", tr(s.lang(r), "account.wrong_password"))
	}
	if err := safedesk.ValidatePassword(next); err != nil {
		return err
	}
	if next != r.PostFormValue("confirm") {
		return safedesk.FieldError("confirm", "%s", tr(s.lang(r), "account.mismatch"))
	}
	hash, err := s.hashPassword(r.Context(), next)
	if err != nil {
		return err
	}
	if err := s.Users.SetPassword(r.Context(), u.ID, hash); err != nil {
		return err
	}
	// Other browsers signed in as this person are signed out; this one starts afresh.
	if err := s.Auth.DeleteUserSessions(r.Context(), u.ID); err != nil {
		return err
	}
	if err := s.startSession(w, r, u, true); err != nil {
		return err
	}
	return redirect(w, r, "/account", "password_changed")
}

// handleAccountTokenCreate issues an API token and shows its secret once.
func (s *Server) handleAccountTokenCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len([]rune(name)) > 60 {
		return safedesk.FieldError("name", "%s", tr(s.lang(r), "account.token_name"))
	}
	scope := r.PostFormValue("scope")
	if scope != safedesk.ScopeAPI && scope != safedesk.ScopeCheck && scope != safedesk.ScopeMetrics {
		return safedesk.FieldError("scope", "Unknown scope.")
	}
	days, err := strconv.Atoi(r.PostFormValue("days"))
	if err != nil || days < 1 || days > 365 {
		return safedesk.FieldError("days", "%s", tr(s.lang(r), "account.token_days"))
	}
	secret := randomSecret()
	now := s.Clock.Now()
	t := &safedesk.Token{UserID: u.ID, Name: name, Scopes: []string{scope}, CreatedAt: now, ExpiresAt: now.Add(time.Duration(days) * 24 * time.Hour)}
	if err := s.Auth.CreateToken(r.Context(), t, hashSecret(secret)); err != nil {
		return err
	}
	if err := s.Audit.Record(r.Context(), safedesk.AuditTokenCreated, t.ID, map[string]any{"name": name, "scopes": t.Scopes}); err != nil {
		return err
	}
	tokens, err := s.Auth.FindTokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, "account.html", map[string]any{"Tokens": tokens, "NewToken": secret})
}

func (s *Server) handleAccountTokenDelete(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	id := r.PathValue("tokenID")
	if err := s.Auth.DeleteToken(r.Context(), u.ID, id); err != nil {
		return err
	}
	s.tokens.forget(u.ID)
	if err := s.Audit.Record(r.Context(), safedesk.AuditTokenDeleted, id, nil); err != nil {
		return err
	}
	return redirect(w, r, "/account", "token_deleted")
}
