package sqlstore_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"safedesk"
	"safedesk/sqlstore"
)

func TestDrillRuns(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		ds := sqlstore.NewDrillService(db)
		u := mustCreateUser(t, db, "driller@demo.example", safedesk.RoleTrainee, "")
		r := &safedesk.DrillRun{UserID: u.ID, CourseID: "default", ScenarioID: "brushing", VersionID: "v1", Lang: "zh-CN", State: json.RawMessage(`{"n":0}`)}
		if err := ds.CreateDrillRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		// Concurrent updates are applied one at a time: no increment is lost.
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := ds.UpdateDrillRun(ctx, r.ID, func(x *safedesk.DrillRun) error {
					var st struct{ N int }
					json.Unmarshal(x.State, &st)
					st.N++
					x.State, _ = json.Marshal(st)
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got, err := ds.FindDrillRun(ctx, r.ID)
		if err != nil || string(got.State) != `{"N":8}` || got.UserName != u.Name {
			t.Fatalf("after 8 updates: %s %+v %v", got.State, got, err)
		}
		if _, err := ds.UpdateDrillRun(ctx, r.ID, func(x *safedesk.DrillRun) error {
			x.Done, x.Passed, x.Score, x.Uncertain = true, true, 85, 1
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		review, _ := ds.FindDrillRuns(ctx, safedesk.DrillRunFilter{NeedsReview: true})
		mine, _ := ds.FindDrillRuns(ctx, safedesk.DrillRunFilter{UserID: u.ID, ScenarioID: "brushing"})
		if len(review) != 1 || len(mine) != 1 {
			t.Fatalf("review %d, mine %d", len(review), len(mine))
		}
		if n, err := ds.CountPassedScenarios(ctx, u.ID, "default"); err != nil || n != 1 {
			t.Fatalf("passed scenarios = %d, %v", n, err)
		}
		if _, err := ds.FindDrillRun(ctx, "nope"); safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			t.Fatalf("missing run: %v", err)
		}
	})
}
