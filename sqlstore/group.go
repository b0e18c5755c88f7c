package sqlstore

import (
	"context"
	"sync"
)

// maxGroup is the most writes one group commit carries.
const maxGroup = 128

// groupCommit runs small independent writes that arrive together in one transaction, so a
// surge of answer saves pays for one commit per group instead of one per save. Nobody
// waits for company: a write that finds no group in progress commits at once, alone; the
// writes that arrive while a group is committing form the next one. Every caller returns
// only after the transaction holding its write has committed, so an acknowledged write is
// as durable as one committed alone.
//
// There is no goroutine of its own: the first caller of a group leads it (runs the
// transaction for everyone in it) and then hands the lead to the first waiting caller.
type groupCommit[T any] struct {
	db *DB
	// apply performs one write inside the group's transaction and says how many rows it
	// changed. An error aborts the group, which then runs write by write so that one bad
	// write cannot fail the others.
	apply func(ctx context.Context, tx *Tx, item T) (int64, error)

	mu    sync.Mutex
	queue []*groupWrite[T]
	busy  bool
}

type groupWrite[T any] struct {
	item T
	rows int64
	err  error
	// wake receives false when the write is done and true when its caller is to lead the
	// next group.
	wake chan bool
}

// do performs one write and returns the rows it changed.
func (g *groupCommit[T]) do(ctx context.Context, item T) (int64, error) {
	w := &groupWrite[T]{item: item, wake: make(chan bool, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, w)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if !lead && !<-w.wake {
		return w.rows, w.err
	}
	// Leading: w is first in the queue, so the group taken here holds it.
	g.mu.Lock()
	n := min(len(g.queue), maxGroup)
	group := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()

	g.commit(context.WithoutCancel(ctx), group)

	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].wake <- true
	} else {
		g.busy = false
		g.queue = nil
	}
	g.mu.Unlock()
	for _, o := range group[1:] {
		o.wake <- false
	}
	return w.rows, w.err
}

// commit runs the group in one transaction, or write by write when that fails.
func (g *groupCommit[T]) commit(ctx context.Context, group []*groupWrite[T]) {
	err := g.db.tx(ctx, func(tx *Tx) error {
		for _, w := range group {
			n, err := g.apply(ctx, tx, w.item)
			if err != nil {
				return err
			}
			w.rows = n
		}
		return nil
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
			n, err = g.apply(ctx, tx, w.item)
			return err
		})
		if w.rows = n; w.err != nil {
			w.rows = 0
		}
	}
}
