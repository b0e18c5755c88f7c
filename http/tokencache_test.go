package http_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"safedesk"
	sdhttp "safedesk/http"
	"safedesk/sqlstore"
)

// TestIdentityChangesReachOtherNodes: a node that has cached a caller's token learns of a
// revocation or a role change made through another node (or straight in the store) within
// a quarter of a second, without any message between the nodes.
func TestIdentityChangesReachOtherNodes(t *testing.T) {
	e := newEnv(t)
	other := &sdhttp.Server{Users: e.s.Users, Auth: e.s.Auth, Audit: e.s.Audit, Courses: e.s.Courses,
		Notifications: e.s.Notifications, Catalog: e.s.Catalog, Checker: e.s.Checker, Ping: e.s.Ping,
		Exams: e.s.Exams, Certificates: e.s.Certificates, Certifier: e.s.Certifier, Drills: e.s.Drills, DrillEngine: e.s.DrillEngine}
	if err := other.Init(); err != nil {
		t.Fatal(err)
	}
	node2 := httptest.NewServer(other.Handler())
	t.Cleanup(node2.Close)
	get := func(tok, path string) int {
		t.Helper()
		r, _ := http.NewRequest("GET", node2.URL+path, nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	ctx := context.Background()
	later := func() { time.Sleep(300 * time.Millisecond) } // past one epoch check

	// A revoked token.
	trainee := e.users[safedesk.RoleTrainee]
	tok := e.token(safedesk.RoleTrainee, safedesk.ScopeAPI)
	if st := get(tok, "/api/v1/me"); st != http.StatusOK {
		t.Fatalf("fresh token: %d", st)
	}
	toks, err := e.auth.FindTokens(ctx, trainee.ID)
	if err != nil || len(toks) != 1 {
		t.Fatalf("tokens = %v, %v", toks, err)
	}
	if err := e.auth.DeleteToken(ctx, trainee.ID, toks[0].ID); err != nil {
		t.Fatal(err)
	}
	later()
	if st := get(tok, "/api/v1/me"); st != http.StatusUnauthorized {
		t.Errorf("revoked token on the node that had cached it: %d, want 401", st)
	}

	// A role taken away.
	admin := e.users[safedesk.RoleAdmin]
	atok := e.token(safedesk.RoleAdmin, safedesk.ScopeAPI)
	if st := get(atok, "/api/v1/users"); st != http.StatusOK {
		t.Fatalf("admin listing users: %d", st)
	}
	role := safedesk.RoleTrainee
	if _, err := sqlstore.NewUserService(e.db).UpdateUser(ctx, admin.ID, safedesk.UserUpdate{Role: &role}); err != nil {
		t.Fatal(err)
	}
	later()
	if st := get(atok, "/api/v1/users"); st != http.StatusForbidden {
		t.Errorf("demoted admin on the node that had cached them: %d, want 403", st)
	}

	// Nothing changed: the token stays cached and keeps working across checks.
	tok2 := e.token(safedesk.RoleTrainee, safedesk.ScopeAPI)
	for range 3 {
		if st := get(tok2, "/api/v1/me"); st != http.StatusOK {
			t.Fatalf("untouched token: %d", st)
		}
		later()
	}
}
