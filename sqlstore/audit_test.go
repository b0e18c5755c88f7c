package sqlstore_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"safedesk"
	"safedesk/sqlstore"
)

func TestAuditChain(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := safedesk.WithActor(context.Background(), safedesk.Actor{UserID: "u1", Email: "admin@demo.example", IP: "127.0.0.1"})
		as := sqlstore.NewAuditService(db)
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if err := as.Record(ctx, safedesk.AuditSignIn, "u1", map[string]int{"i": i}); err != nil {
					t.Error(err)
				}
			}(i)
		}
		wg.Wait()
		broken, reason, checked, err := as.VerifyAudit(ctx)
		if err != nil || broken != 0 || checked != 20 {
			t.Fatalf("VerifyAudit on an intact log = %d %q %d %v", broken, reason, checked, err)
		}

		cases := []struct {
			name, sql string
			seq       int64
			reason    string
		}{
			// Each break is earlier than the last, so each is the first one found.
			{"tail cut", `DELETE FROM audit_log WHERE seq = 20`, 20, "removed from the end"},
			{"removed", `DELETE FROM audit_log WHERE seq = 12`, 12, "missing"},
			{"edited", `UPDATE audit_log SET detail = '{"i":99}' WHERE seq = 7`, 7, "edited"},
			{"relinked", `UPDATE audit_log SET prev_hash = 'x' WHERE seq = 3`, 3, "link"},
		}
		for _, tc := range cases {
			if _, err := db.SQL().Exec(tc.sql); err != nil {
				t.Fatal(err)
			}
			broken, reason, _, err := as.VerifyAudit(ctx)
			if err != nil || broken != tc.seq || !strings.Contains(reason, tc.reason) {
				t.Fatalf("%s: VerifyAudit = %d %q %v, want %d %q", tc.name, broken, reason, err, tc.seq, tc.reason)
			}
		}
		list, total, err := as.FindAudit(ctx, safedesk.AuditFilter{Limit: 5})
		if err != nil || total != 18 || len(list) != 5 || list[0].Actor != "admin@demo.example" {
			t.Fatalf("FindAudit = %d/%d %v", len(list), total, err)
		}
	})
}
