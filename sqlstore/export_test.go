package sqlstore

import (
	"context"
)

// GroupCommitForTest exposes a group commit over key/value writes to the tests.
func GroupCommitForTest(db *DB, apply func(ctx context.Context, tx *Tx, key string) (int64, error)) func(context.Context, string) (int64, error) {
	g := &groupCommit[string]{db: db, apply: apply, lanes: 4}
	return g.do
}

// SaveTogetherForTest stores saves (attempt, user, question, response) as one group, in
// one transaction, and returns the rows each wrote.
func SaveTogetherForTest(ctx context.Context, s *ExamService, at int64, saves [][4]string) ([]int64, error) {
	items := make([]answerSave, len(saves))
	for i, v := range saves {
		items[i] = answerSave{attemptID: v[0], userID: v[1], questionID: v[2], response: v[3], at: at}
	}
	var out []int64
	err := s.db.tx(ctx, func(tx *Tx) (err error) {
		out, err = s.applySaves(ctx, tx, items)
		return err
	})
	return out, err
}
