package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"safedesk/sqlstore"
)

// TestWriteAheadLogStartsOver: under steady writing SQLite's log only grows, since a
// checkpoint that never waits never finds it wholly copied; the checkpointer restarts
// it once it is long, so the next write starts the log from the beginning. A reader
// holding an old snapshot delays the restart only briefly, and the writer's connection
// keeps its normal lock wait afterwards.
func TestWriteAheadLogStartsOver(t *testing.T) {
	db, _ := openSQLite(t)
	ctx := context.Background()
	us := sqlstore.NewUserService(db)
	write := func(n int, tag string) {
		t.Helper()
		for i := range n {
			if _, err := us.CreateTeam(ctx, fmt.Sprintf("%s %d", tag, i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	frames := func() int {
		t.Helper()
		n, err := sqlstore.WALFramesForTest(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	hold := func() func() {
		t.Helper()
		release, err := sqlstore.HoldReadForTest(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		return release
	}

	// Without a restart: a reader on older frames while the checkpoint runs (under load
	// there nearly always is one) leaves the newer frames uncopied, and the next write
	// appends to the log instead of starting it over. (Reading the log's length copies
	// it all, so each phase reads it once, at its end.)
	write(100, "first")
	release := hold()
	write(20, "past the reader")
	if err := sqlstore.CheckpointForTest(ctx, db, 1<<30); err != nil {
		t.Fatal(err)
	}
	release()
	write(1, "appended")
	long := frames()
	if long < 100 {
		t.Fatalf("log holds %d frames: it started over without a restart, so this test shows nothing", long)
	}

	// With one, in the same steps: the restart waits the moment the reader needs, and
	// the next write starts the log over.
	write(100, "second")
	release = hold()
	write(20, "again past the reader")
	go func() {
		time.Sleep(10 * time.Millisecond)
		release()
	}()
	began := time.Now()
	if err := sqlstore.CheckpointForTest(ctx, db, 64); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(began); waited > 2*time.Second {
		t.Errorf("restart took %s", waited)
	}
	write(1, "after")
	if n := frames(); n >= long/4 {
		t.Errorf("log holds %d frames after the restart and one commit, had %d without: it did not start over", n, long)
	}

	// A reader that stays: the restart gives up after a short wait, and the writer's
	// connection keeps its normal lock wait.
	release = hold()
	write(20, "beside a reader that stays")
	began = time.Now()
	err := sqlstore.CheckpointForTest(ctx, db, 1)
	if waited := time.Since(began); waited > 2*time.Second {
		t.Errorf("restart beside a reader that stays took %s", waited)
	}
	t.Logf("restart beside a reader that stays: %v", err)
	release()
	if ms, err := sqlstore.WriterBusyTimeoutForTest(ctx, db); err != nil || ms != 10000 {
		t.Errorf("writer's busy timeout after a restart = %d, %v; want 10000", ms, err)
	}
	write(1, "later")
}
