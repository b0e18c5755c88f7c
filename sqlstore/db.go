// Package sqlstore implements SafeDesk's services on one SQL schema that runs on SQLite
// (the default, embedded) and on PostgreSQL. Queries are hand-written, parameterised with
// $N placeholders that both drivers accept; times are stored as Unix milliseconds so no
// query depends on a database's date functions.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"safedesk"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

//go:embed migrations
var migrations embed.FS

// DB is an open store. For SQLite it holds one writer connection and a pool of readers, so
// that writers queue in Go rather than fail with "database is locked".
type DB struct {
	Dialect string
	Clock   safedesk.Clock

	write *conns
	read  *conns
	pool  *pgxpool.Pool // PostgreSQL only
	path  string        // SQLite only
	stop  chan struct{} // SQLite only: ends the checkpointer
	done  chan struct{}
}

// Open opens the database named by dsn: a postgres:// URL for PostgreSQL, or otherwise a
// SQLite file path ("" means safedesk.db inside dataDir, which is created).
func Open(ctx context.Context, dsn, dataDir string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	path := strings.TrimPrefix(dsn, "sqlite://")
	if path == "" {
		if dataDir == "" {
			dataDir = "safedesk-data"
		}
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		path = filepath.Join(dataDir, "safedesk.db")
	}
	return openSQLite(ctx, path)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	// wal_autocheckpoint(0): no commit pays for a checkpoint; checkpointer does them in the
	// background, so an acknowledged write is acknowledged as soon as it is durable and a
	// save's latency has no fsync-sized outliers. journal_size_limit gives the disk back
	// after a surge: the log file is cut to 64 MiB when it starts over.
	for _, p := range []string{"journal_mode(WAL)", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeout.Milliseconds()), "foreign_keys(1)", "synchronous(NORMAL)", "wal_autocheckpoint(0)",
		"journal_size_limit(67108864)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(max(4, runtime.NumCPU()*2))
	db := &DB{Dialect: SQLite, Clock: safedesk.SystemClock{}, write: newConns(write, true), read: newConns(read, true), path: path}
	if err := write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.stop = make(chan struct{})
	db.done = make(chan struct{})
	go db.checkpointer()
	return db, nil
}

// checkpointer moves the write-ahead log into the database file every second, off the
// request path. PASSIVE never waits for the writer or readers.
//
// PASSIVE alone does not keep the log small under steady writing: SQLite starts the log
// over only when a writer finds every frame already copied, and with writes arriving
// every millisecond some always are not. Over a 40-minute exam the log grew by about
// 10 MB a second to gigabytes, every read searched a longer index, and when the writes
// finally paused, starting over a file that size held the writer for seconds. So when
// the log has passed walRestartFrames the checkpointer takes the writer's connection for
// a moment, in turn with the writes, and restarts the log (restartLog).
func (db *DB) checkpointer() {
	defer close(db.done)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-db.stop:
			db.read.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			return
		case <-t.C:
			db.checkpoint(context.Background(), walRestartFrames)
		}
	}
}

// checkpoint copies the log into the database without waiting for anyone, and restarts
// the log once it holds restartFrames frames.
func (db *DB) checkpoint(ctx context.Context, restartFrames int) error {
	var busy, frames, copied int
	if err := db.read.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		return err
	}
	if frames < restartFrames || frames-copied > walRestartSlack {
		// A log the checkpoint could not nearly copy (readers on older frames) would
		// have the restart copy the rest while writes wait: try again a second later.
		return nil
	}
	return db.restartLog(ctx)
}

// walRestartFrames is the log length (64 MiB of 4 KiB pages, the journal_size_limit)
// past which the checkpointer restarts the log.
const walRestartFrames = 16384

// restartLog copies what is left of the log into the database and has the next write
// start the log from its beginning (cut back to journal_size_limit). It runs on the
// writer's connection, so writes wait for it as for any other write: the frames left
// are the last second's, since the PASSIVE checkpoint a second ago. RESTART also waits
// for readers still on older frames; it waits at most walRestartWait, and a restart
// that could not wait long enough is tried again a second later.
func (db *DB) restartLog(ctx context.Context) error {
	c, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", walRestartWait.Milliseconds())); err != nil {
		return err
	}
	_, err = c.ExecContext(ctx, "PRAGMA wal_checkpoint(RESTART)")
	if _, rerr := c.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", sqliteBusyTimeout.Milliseconds())); rerr != nil {
		// A writer's connection left with the short wait would refuse writes that
		// should have waited: take it out of the pool.
		c.Raw(func(any) error { return driver.ErrBadConn })
		return rerr
	}
	return err
}

// sqliteBusyTimeout is how long a statement waits for a lock another connection holds.
const sqliteBusyTimeout = 10 * time.Second

// walRestartSlack is how many frames may be left uncopied by the checkpoint for a restart
// to go ahead (4 MiB): the restart copies them while writes wait. Restarting whatever
// was left held writes up for 250–550 ms in the start surge of an exam, when reads run
// all the time and a checkpoint copies only up to the oldest of them.
const walRestartSlack = 1024

// walRestartWait bounds how long a log restart waits for readers, holding up writes.
const walRestartWait = 50 * time.Millisecond

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	// The driver's default pool (four connections on two cores) is far too small for
	// exam day: starts wait on row locks while holding a connection, and saves queue
	// behind them. pool_max_conns in the URL still decides when it is given.
	if u, err := url.Parse(dsn); err == nil && !u.Query().Has("pool_max_conns") {
		cfg.MaxConns = int32(max(16, 8*runtime.NumCPU()))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	sdb := newConns(stdlib.OpenDBFromPool(pool), false)
	return &DB{Dialect: Postgres, Clock: safedesk.SystemClock{}, write: sdb, read: sdb, pool: pool}, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	if db.stop != nil {
		close(db.stop)
		<-db.done
		db.stop = nil
	}
	var errs []error
	if db.read != nil && db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	if db.pool != nil {
		db.pool.Close()
	}
	return errors.Join(errs...)
}

// SQL returns the writer pool, for components such as the job queue that need one.
func (db *DB) SQL() *sql.DB { return db.write.DB }

// Pgx returns the PostgreSQL pool, or nil on SQLite.
func (db *DB) Pgx() *pgxpool.Pool { return db.pool }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Migrate applies the embedded migrations for the database in use. Migrations only go
// forward.
func (db *DB) Migrate(ctx context.Context) error {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if db.Dialect == Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return err
	}
	// Out of order: migrations written on parallel branches may land in any order.
	p, err := goose.NewProvider(dialect, db.write.DB, sub, goose.WithAllowOutofOrder(true))
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := db.fillNameKeys(ctx); err != nil {
		return fmt.Errorf("migrate: sort keys of names: %w", err)
	}
	return nil
}

// now returns the store's clock time at the precision it is stored with, so a value
// returned from a write equals the value read back later.
func (db *DB) now() time.Time { return db.Clock.Now().Truncate(time.Millisecond) }

// tx runs fn in one write transaction and commits when fn returns nil.
func (db *DB) tx(ctx context.Context, fn func(*Tx) error) error {
	stx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := &Tx{Tx: stx, c: db.write}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	err = stx.Commit()
	if len(tx.missed) > 0 {
		db.write.prepareMissed(context.WithoutCancel(ctx), tx.missed)
	}
	return err
}

// ms converts a time to the stored form; zero stays zero.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts a stored time back, in UTC.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// isUniqueViolation reports whether err is a unique-constraint failure on either database.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505") || strings.Contains(s, "duplicate key value")
}

// notFound turns sql.ErrNoRows into an ENOTFOUND error about what.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return safedesk.Errorf(safedesk.ENOTFOUND, "%s not found.", what)
	}
	return err
}

// isForeignKey reports whether err is a foreign-key failure on either database.
func isForeignKey(err error) bool {
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE 23503")
}
