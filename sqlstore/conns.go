package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxCachedStmts bounds the statement cache. The store's queries are constants, so the
// number of distinct texts is small; a query built at run time (filters, IN lists) past
// the bound simply runs unprepared.
const maxCachedStmts = 512

// conns is a connection pool that keeps its statements prepared. SQLite compiles a
// statement's text on every use otherwise, which costs more than running it: on an answer
// save, parsing the upsert was a quarter of the server's CPU. PostgreSQL's driver already
// keeps prepared statements per connection, so there the cache is off.
type conns struct {
	*sql.DB
	cache bool

	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

func newConns(db *sql.DB, cache bool) *conns {
	return &conns{DB: db, cache: cache, stmts: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement for query, or nil when it is not to be cached.
func (c *conns) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if !c.cache {
		return nil, nil
	}
	c.mu.RLock()
	st, full := c.stmts[query], len(c.stmts) >= maxCachedStmts
	c.mu.RUnlock()
	if st != nil || full {
		return st, nil
	}
	// Prepare without holding the lock: preparing waits for a free connection, and the
	// connection's holder may need the lock meanwhile.
	st, err := c.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if had := c.stmts[query]; had != nil {
		st.Close()
		return had, nil
	}
	c.stmts[query] = st
	return st, nil
}

func (c *conns) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.DB.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

func (c *conns) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.DB.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext cannot return a preparation error by itself, so a statement that does
// not prepare runs unprepared and reports its error through Scan as usual.
func (c *conns) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil || st == nil {
		return c.DB.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// Close closes the prepared statements and then the pool.
func (c *conns) Close() error {
	c.mu.Lock()
	var errs []error
	for q, st := range c.stmts {
		errs = append(errs, st.Close())
		delete(c.stmts, q)
	}
	c.mu.Unlock()
	return errors.Join(append(errs, c.DB.Close())...)
}

// Tx is a write transaction whose statements run prepared when the pool has them. A
// statement it has not seen prepared runs as text, and is prepared once the transaction
// is over (preparing needs a connection, and on SQLite the transaction holds the only
// writer), so from then on it costs the writer no parsing.
type Tx struct {
	*sql.Tx
	c      *conns
	missed []string
}

func (t *Tx) prepared(ctx context.Context, query string) *sql.Stmt {
	if !t.c.cache {
		return nil
	}
	t.c.mu.RLock()
	st := t.c.stmts[query]
	t.c.mu.RUnlock()
	if st == nil {
		t.missed = append(t.missed, query)
		return nil
	}
	return t.Tx.StmtContext(ctx, st)
}

func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

// prepareMissed prepares, outside any transaction, the statements a transaction ran as
// text. A statement that does not prepare is left to fail where it runs.
func (c *conns) prepareMissed(ctx context.Context, queries []string) {
	for _, q := range queries {
		c.stmt(ctx, q)
	}
}
