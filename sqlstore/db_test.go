package sqlstore_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"safedesk"
	"safedesk/sqlstore"
)

// fixedClock is a settable clock for tests.
type fixedClock struct{ t time.Time }

func (c *fixedClock) Now() time.Time { return c.t }

// eachDB runs fn as a subtest on a fresh SQLite database and, when SAFEDESK_TEST_POSTGRES
// is set, on a fresh PostgreSQL schema.
func eachDB(t *testing.T, fn func(t *testing.T, db *sqlstore.DB, clock *fixedClock)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		db, clock := openSQLite(t)
		fn(t, db, clock)
	})
	t.Run("postgres", func(t *testing.T) {
		db, clock := openPostgres(t)
		fn(t, db, clock)
	})
}

func openSQLite(t testing.TB) (*sqlstore.DB, *fixedClock) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	return prepare(t, db)
}

// openPostgres creates a schema of its own in the test server, so tests never see each
// other's rows, and drops it afterwards.
func openPostgres(t testing.TB) (*sqlstore.DB, *fixedClock) {
	t.Helper()
	base := os.Getenv("SAFEDESK_TEST_POSTGRES")
	if base == "" {
		t.Skip("SAFEDESK_TEST_POSTGRES is not set; PostgreSQL store tests skipped (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	schema := "t_" + safedesk.NewID()[:16]
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := sqlstore.Open(context.Background(), u.String(), "")
	if err != nil {
		t.Fatal(err)
	}
	return prepare(t, db)
}

func prepare(t testing.TB, db *sqlstore.DB) (*sqlstore.DB, *fixedClock) {
	t.Helper()
	clock := &fixedClock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	db.Clock = clock
	if err := db.Migrate(context.Background()); err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, clock
}

// mustCreateUser creates a user or fails the test.
func mustCreateUser(t *testing.T, db *sqlstore.DB, email, role, teamID string) *safedesk.User {
	t.Helper()
	u := &safedesk.User{Email: email, Name: "Name " + email, Role: role, TeamID: teamID, Active: true}
	if err := sqlstore.NewUserService(db).CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := safedesk.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}
