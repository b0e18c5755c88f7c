package sqlstore

import (
	"context"
	"sync"
)

// maxGroup is the most writes one group commit carries.
const maxGroup = 128

// groupCommit runs small independent writes that arrive together in one transaction, so a
// surge of answer saves pays for one commit per group instead of one per save. Nobody
// waits for company: a write that finds a free lane commits at once, alone; the writes
// that arrive while every lane is committing form the next group. Every caller returns
// only after the transaction holding its write has committed, so an acknowledged write is
// as durable as one committed alone.
//
// SQLite has one writer, so it gets one lane. On PostgreSQL independent writes (answer
// saves) run a few groups side by side: with a single lane, every statement of every save
// would wait for the round trip of the one before it.
//
// There is no goroutine of its own: the caller who finds a lane free leads a group (runs
// the transaction for everyone in it), then takes the next group from the queue and hands
// it to its first writer to lead.
type groupCommit[T any] struct {
	db *DB
	// apply performs one write inside the group's transaction and says how many rows it
	// changed. An error aborts the group, which then runs write by write so that one bad
	// write cannot fail the others.
	apply func(ctx context.Context, tx *Tx, item T) (int64, error)
	// batch, when set, performs a whole group's writes at once (one statement instead
	// of one per write: on PostgreSQL each statement is a round trip, and under load the
	// goroutine waiting for it also waits its turn to run again). It returns the rows each
	// write changed. A failing batch falls back to apply, write by write.
	batch func(ctx context.Context, tx *Tx, items []T) ([]int64, error)
	// finish, when set, runs once after the group's writes, in their transaction, for
	// work the whole group can share (one audit append for every write in it).
	finish func(ctx context.Context, tx *Tx, items []T) error
	// lanes is how many groups may commit at once on PostgreSQL (SQLite: always one).
	lanes int

	mu    sync.Mutex
	queue []*groupWrite[T]
	busy  int // groups committing now
}

type groupWrite[T any] struct {
	item T
	rows int64
	err  error
	// wake receives nil when the write is done, or the group its caller is to lead.
	wake chan []*groupWrite[T]
}

// maxLanes is how many groups may commit at once.
func (g *groupCommit[T]) maxLanes() int {
	if g.db.Dialect == Postgres {
		return max(g.lanes, 1)
	}
	return 1
}

// do performs one write and returns the rows it changed.
func (g *groupCommit[T]) do(ctx context.Context, item T) (int64, error) {
	w := &groupWrite[T]{item: item, wake: make(chan []*groupWrite[T], 1)}
	g.mu.Lock()
	g.queue = append(g.queue, w)
	var group []*groupWrite[T]
	if g.busy < g.maxLanes() {
		// A lane is free only while nobody queues (a lane that finds a queue hands it
		// on instead of freeing itself), so the group taken here is w alone.
		g.busy++
		group = g.take()
	}
	g.mu.Unlock()
	if group == nil {
		if group = <-w.wake; group == nil {
			return w.rows, w.err
		}
	}
	g.commit(context.WithoutCancel(ctx), group)

	g.mu.Lock()
	var next []*groupWrite[T]
	if len(g.queue) > 0 {
		next = g.take()
	} else {
		g.busy--
	}
	g.mu.Unlock()
	if next != nil {
		next[0].wake <- next
	}
	for _, o := range group {
		if o != w {
			o.wake <- nil
		}
	}
	return w.rows, w.err
}

// take removes the next group from the queue; g.mu is held.
func (g *groupCommit[T]) take() []*groupWrite[T] {
	n := min(len(g.queue), maxGroup)
	group := g.queue[:n:n]
	g.queue = g.queue[n:]
	if len(g.queue) == 0 {
		g.queue = nil
	}
	return group
}

// commit runs the group in one transaction, or write by write when that fails.
func (g *groupCommit[T]) commit(ctx context.Context, group []*groupWrite[T]) {
	err := g.db.tx(ctx, func(tx *Tx) error {
		if g.batch != nil && len(group) > 1 {
			rows, err := g.batch(ctx, tx, itemsOf(group))
			if err != nil {
				return err
			}
			for i, w := range group {
				w.rows = rows[i]
			}
			return g.finishTx(ctx, tx, group)
		}
		for _, w := range group {
			n, err := g.apply(ctx, tx, w.item)
			if err != nil {
				return err
			}
			w.rows = n
		}
		return g.finishTx(ctx, tx, group)
	})
	if err == nil {
		return
	}
	if len(group) == 1 {
		group[0].rows, group[0].err = 0, err
		return
	}
	for _, w := range group {
		var n int64
		w.err = g.db.tx(ctx, func(tx *Tx) (err error) {
			if n, err = g.apply(ctx, tx, w.item); err != nil {
				return err
			}
			return g.finishTx(ctx, tx, []*groupWrite[T]{w})
		})
		if w.rows = n; w.err != nil {
			w.rows = 0
		}
	}
}

func (g *groupCommit[T]) finishTx(ctx context.Context, tx *Tx, group []*groupWrite[T]) error {
	if g.finish == nil {
		return nil
	}
	return g.finish(ctx, tx, itemsOf(group))
}

// itemsOf returns the writes' items, in the group's order.
func itemsOf[T any](group []*groupWrite[T]) []T {
	items := make([]T, len(group))
	for i, w := range group {
		items[i] = w.item
	}
	return items
}
