package sqlstore

import (
	"context"
)

// GroupCommitForTest exposes a group commit over key/value writes to the tests.
func GroupCommitForTest(db *DB, apply func(ctx context.Context, tx *Tx, key string) (int64, error)) func(context.Context, string) (int64, error) {
	g := &groupCommit[string]{db: db, apply: apply, lanes: 4}
	return g.do
}
