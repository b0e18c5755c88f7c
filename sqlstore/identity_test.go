package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"safedesk"
	"safedesk/sqlstore"
)

// TestIdentityEpoch: every change that could make a node's cached identity wrong moves
// the epoch, in the same transaction; changes that cannot, do not.
func TestIdentityEpoch(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		as, us := sqlstore.NewAuthService(db), sqlstore.NewUserService(db)
		u := mustCreateUser(t, db, "epoch@demo.example", safedesk.RoleTrainee, "")
		tok := &safedesk.Token{UserID: u.ID, Name: "t", Scopes: []string{safedesk.ScopeAPI}, CreatedAt: clock.t, ExpiresAt: clock.t.Add(time.Hour)}
		role, off := safedesk.RoleTrainer, false
		steps := []struct {
			name  string
			do    func() error
			moves bool
		}{
			{"token created", func() error { return as.CreateToken(ctx, tok, "epoch-hash") }, false},
			{"token revoked", func() error { return as.DeleteToken(ctx, u.ID, tok.ID) }, true},
			{"revoking a token that is not there", func() error { as.DeleteToken(ctx, u.ID, "none"); return nil }, false},
			{"role changed", func() error { _, err := us.UpdateUser(ctx, u.ID, safedesk.UserUpdate{Role: &role}); return err }, true},
			{"password changed", func() error { return us.SetPassword(ctx, u.ID, "hash") }, true},
			{"MFA enrolled", func() error { return us.SetMFA(ctx, u.ID, "JBSWY3DPEHPK3PXP", true) }, true},
			{"import updating a person", func() error {
				_, err := us.ImportUsers(ctx, []safedesk.ImportRow{{Line: 2, Email: u.Email, Name: "Renamed", Role: safedesk.RoleTrainee}})
				return err
			}, true},
			{"import creating only", func() error {
				_, err := us.ImportUsers(ctx, []safedesk.ImportRow{{Line: 2, Email: "new@demo.example", Name: "New", Role: safedesk.RoleTrainee}})
				return err
			}, false},
			{"deactivated", func() error { _, err := us.UpdateUser(ctx, u.ID, safedesk.UserUpdate{Active: &off}); return err }, true},
		}
		prev, err := as.IdentityEpoch(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			n, err := as.IdentityEpoch(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if moved := n != prev; moved != st.moves {
				t.Errorf("%s: epoch %d → %d, want moved=%v", st.name, prev, n, st.moves)
			}
			prev = n
		}
	})
}
