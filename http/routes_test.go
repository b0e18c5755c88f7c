package http_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestRouteRoleMatrix walks every route with every role and with no sign-in: a role the
// route does not list is refused with 403, no sign-in with 401 (or a redirect to the
// sign-in page for a page), and a listed role gets through (whatever the handler then
// says about the made-up input).
func TestRouteRoleMatrix(t *testing.T) {
	e := newEnv(t)
	params := strings.NewReplacer("{courseID}", "default", "{examID}", "default-certification", "{attemptID}", "nope", "{questionID}", "nope", "{code}", "NOPE", "{scenarioID}", "brushing", "{runID}", "nope", "{what}", "pdf", "{lessonID}", e.lesson, "{userID}", e.users["trainee"].ID,
		"{tokenID}", "nope", "{format}", "csv", "{path...}", "app.css", "{$}", "")
	// These routes check credentials themselves and answer a wrong (here: missing) password
	// or code with 401; that is not an access decision.
	checksCredentials := map[string]bool{"POST /login": true, "POST /api/v1/auth/login": true, "POST /mfa": true}
	routes := e.s.Routes()
	if len(routes) < 40 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, rt := range routes {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		path := params.Replace(pattern)
		for _, role := range []string{"", "admin", "trainer", "auditor", "trainee"} {
			name := rt.Pattern + " as " + role
			if role == "" {
				name = rt.Pattern + " anonymous"
			}
			t.Run(name, func(t *testing.T) {
				req := e.req(method, path, "")
				if role != "" {
					if rt.API {
						req.Header.Set("Authorization", "Bearer "+e.token(role, "api"))
					} else {
						c, csrf := e.session(role)
						req.AddCookie(c)
						req.Header.Set("X-CSRF-Token", csrf)
					}
				}
				if method != http.MethodGet {
					req.Header.Set("Content-Type", "application/json")
					req.Body = http.NoBody
				}
				status, body, hdr := e.do(req)
				allowed := rt.Roles == nil || slices.Contains(rt.Roles, role)
				if checksCredentials[rt.Pattern] && status == 401 && allowed {
					return
				}
				switch {
				case rt.Roles == nil:
					if status == 401 || status == 403 {
						t.Fatalf("public route refused: %d %s", status, body)
					}
				case role == "":
					if status == http.StatusSeeOther && !rt.API && method == http.MethodGet {
						if loc := hdr.Get("Location"); !strings.HasPrefix(loc, "/login") {
							t.Fatalf("anonymous page redirected to %q, not the sign-in page", loc)
						}
						return
					}
					if status != 401 {
						t.Fatalf("anonymous got %d, want 401: %s", status, body)
					}
				case allowed:
					if status >= 500 {
						t.Fatalf("%s got a server error: %d %s", role, status, body)
					}
					if status == 401 || status == 403 {
						t.Fatalf("%s is listed but got %d: %s", role, status, body)
					}
				default:
					if status != 403 {
						t.Fatalf("%s is not listed but got %d: %s", role, status, body)
					}
				}
			})
		}
	}
}
