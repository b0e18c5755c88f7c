package sqlstore

import (
	"context"

	"safedesk"
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

// StartTogetherForTest starts attempts as one group, in one transaction and one statement
// per step, and returns each start's attempt and refusal.
func StartTogetherForTest(ctx context.Context, s *ExamService, e *safedesk.Exam, attempts []*safedesk.Attempt) ([]*safedesk.Attempt, []error, error) {
	group := make([]*attemptStart, len(attempts))
	for i, a := range attempts {
		group[i] = &attemptStart{attempt: a, exam: e}
	}
	err := s.db.tx(ctx, func(tx *Tx) error {
		if _, err := s.applyStarts(ctx, tx, group); err != nil {
			return err
		}
		return s.finishStarts(ctx, tx, group)
	})
	outs, refusals := make([]*safedesk.Attempt, len(group)), make([]error, len(group))
	for i, st := range group {
		outs[i], refusals[i] = st.out, st.refused
	}
	return outs, refusals, err
}

// ForgetNameKeysForTest clears every stored sort key, as a store from before keys were
// kept would have them, and then migrates again.
func ForgetNameKeysForTest(ctx context.Context, db *DB) error {
	if _, err := db.write.ExecContext(ctx, `UPDATE users SET name_key = $1`, []byte{}); err != nil {
		return err
	}
	return db.Migrate(ctx)
}

// CheckpointForTest runs one round of the background checkpointer, restarting the
// write-ahead log once it holds at least restartFrames frames.
func CheckpointForTest(ctx context.Context, db *DB, restartFrames int) error {
	return db.checkpoint(ctx, restartFrames)
}

// WriterBusyTimeoutForTest returns the busy timeout of the writer's connection, in ms.
func WriterBusyTimeoutForTest(ctx context.Context, db *DB) (int, error) {
	var ms int
	err := db.write.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&ms)
	return ms, err
}

// WALFramesForTest copies what it can of the write-ahead log without waiting and
// returns the frames the log holds.
func WALFramesForTest(ctx context.Context, db *DB) (int, error) {
	var busy, frames, copied int
	err := db.read.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	return frames, err
}

// HoldReadForTest opens a read transaction on the readers' pool and keeps its snapshot
// until release is called. (BeginTx would take the write lock: the pool's transactions
// begin IMMEDIATE.)
func HoldReadForTest(ctx context.Context, db *DB) (release func(), err error) {
	c, err := db.read.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var n int
	if _, err = c.ExecContext(ctx, "BEGIN DEFERRED"); err == nil {
		err = c.QueryRowContext(ctx, "SELECT count(*) FROM teams").Scan(&n)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return func() {
		c.ExecContext(ctx, "ROLLBACK")
		c.Close()
	}, nil
}
