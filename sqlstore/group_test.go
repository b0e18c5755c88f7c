package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"safedesk/sqlstore"
)

// TestGroupCommit: writes that arrive while a group commits share the next transaction,
// every caller sees its own outcome, and one failing write does not cost the others theirs.
func TestGroupCommit(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, _ *fixedClock) {
		ctx := context.Background()
		if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE group_probe (k TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var txs map[*sqlstore.Tx]int
		var hold chan struct{}
		errBad := errors.New("refused")
		save := sqlstore.GroupCommitForTest(db, func(ctx context.Context, tx *sqlstore.Tx, k string) (int64, error) {
			mu.Lock()
			txs[tx]++
			mu.Unlock()
			switch k {
			case "hold1", "hold2":
				<-hold // everyone else queues behind this group
			case "bad":
				return 0, errBad
			case "none":
				return 0, nil
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO group_probe (k) VALUES ($1)`, k)
			if err != nil {
				return 0, err
			}
			return res.RowsAffected()
		})
		type result struct {
			n   int64
			err error
		}
		// behind saves the keys while a write of holder is committing, and returns each
		// key's outcome and the most writes one transaction saw.
		behind := func(holder string, keys []string) (map[string]result, int) {
			mu.Lock()
			txs, hold = map[*sqlstore.Tx]int{}, make(chan struct{})
			mu.Unlock()
			out := map[string]result{}
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := save(ctx, holder)
				mu.Lock()
				out[holder] = result{n, err}
				mu.Unlock()
			}()
			for started := false; !started; {
				time.Sleep(time.Millisecond)
				mu.Lock()
				started = len(txs) > 0
				mu.Unlock()
			}
			for _, k := range keys {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := save(ctx, k)
					mu.Lock()
					out[k] = result{n, err}
					mu.Unlock()
				}()
			}
			time.Sleep(50 * time.Millisecond) // let the writers queue
			close(hold)
			wg.Wait()
			most := 0
			for _, c := range txs {
				most = max(most, c)
			}
			return out, most
		}
		var keys []string
		for i := range 60 {
			keys = append(keys, fmt.Sprintf("a%02d", i))
		}
		got, most := behind("hold1", keys)
		for k, r := range got {
			if r.err != nil || r.n != 1 {
				t.Errorf("%s: %d rows, %v", k, r.n, r.err)
			}
		}
		if most < 30 {
			t.Errorf("largest group held %d of 60 queued writes; writes queued behind a commit should share one", most)
		}

		keys = []string{"b1", "bad", "b2", "none", "b3"}
		got, _ = behind("hold2", keys)
		for k, r := range got {
			switch k {
			case "bad":
				if !errors.Is(r.err, errBad) {
					t.Errorf("bad write: err %v, want %v", r.err, errBad)
				}
			case "none":
				if r.err != nil || r.n != 0 {
					t.Errorf("write of no rows: %d, %v", r.n, r.err)
				}
			default:
				if r.err != nil || r.n != 1 {
					t.Errorf("%s beside a failing write: %d rows, %v", k, r.n, r.err)
				}
			}
		}
		var n int
		if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM group_probe`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := 1 + 60 + 1 + 3; n != want {
			t.Errorf("%d rows stored, want %d", n, want)
		}
	})
}

// TestGroupCommitLanes: on PostgreSQL a write does not wait for a group that is still
// committing when a lane is free; on SQLite, with its one writer, it does.
func TestGroupCommitLanes(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, _ *fixedClock) {
		ctx := context.Background()
		hold := make(chan struct{})
		save := sqlstore.GroupCommitForTest(db, func(ctx context.Context, tx *sqlstore.Tx, k string) (int64, error) {
			if k == "slow" {
				<-hold
			}
			return 1, nil
		})
		slowDone := make(chan struct{})
		go func() {
			defer close(slowDone)
			save(ctx, "slow")
		}()
		time.Sleep(20 * time.Millisecond) // the slow write leads a group and blocks in it
		fastDone := make(chan struct{})
		go func() {
			defer close(fastDone)
			save(ctx, "fast")
		}()
		select {
		case <-fastDone:
			if db.Dialect != sqlstore.Postgres {
				t.Error("a second write committed beside a group still open on SQLite")
			}
		case <-time.After(500 * time.Millisecond):
			if db.Dialect == sqlstore.Postgres {
				t.Error("a write waited for a group still committing although a lane was free")
			}
		}
		close(hold)
		<-slowDone
		<-fastDone
	})
}
