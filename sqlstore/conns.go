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
	st := c.stmts[query]
	c.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.stmts[query]; st != nil {
		return st, nil
	}
	if len(c.stmts) >= maxCachedStmts {
		return nil, nil
	}
	st, err := c.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
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

// txExec runs query inside tx, through the statement prepared earlier when there is one.
// It never prepares: preparing needs a connection of the pool, and on SQLite the only
// writer connection is the one tx holds. Prepare the query before the transaction instead.
func (c *conns) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	c.mu.RLock()
	st := c.stmts[query]
	c.mu.RUnlock()
	if st == nil {
		return tx.ExecContext(ctx, query, args...)
	}
	return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}
