package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"safedesk"
)

// DrillService stores drill runs.
type DrillService struct{ db *DB }

// NewDrillService returns the drill service of db.
func NewDrillService(db *DB) *DrillService { return &DrillService{db: db} }

var _ safedesk.DrillService = (*DrillService)(nil)

const drillColumns = `r.id, r.user_id, COALESCE(u.name, ''), r.course_id, r.scenario_id, r.version_id, r.lang, r.state,
	r.done, r.passed, r.score, r.uncertain, r.started_at, r.updated_at`

func scanDrillRun(sc scanner) (*safedesk.DrillRun, error) {
	var r safedesk.DrillRun
	var state string
	var started, updated int64
	if err := sc.Scan(&r.ID, &r.UserID, &r.UserName, &r.CourseID, &r.ScenarioID, &r.VersionID, &r.Lang, &state,
		&r.Done, &r.Passed, &r.Score, &r.Uncertain, &started, &updated); err != nil {
		return nil, err
	}
	r.State = json.RawMessage(state)
	r.StartedAt, r.UpdatedAt = fromMS(started), fromMS(updated)
	return &r, nil
}

// CreateDrillRun stores a new run.
func (s *DrillService) CreateDrillRun(ctx context.Context, r *safedesk.DrillRun) error {
	r.ID = safedesk.NewID()
	r.StartedAt, r.UpdatedAt = s.db.now(), s.db.now()
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO drill_runs (id, user_id, course_id, scenario_id, version_id, lang, state,
		done, passed, score, uncertain, started_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		r.ID, r.UserID, r.CourseID, r.ScenarioID, r.VersionID, r.Lang, string(r.State), r.Done, r.Passed, r.Score, r.Uncertain,
		ms(r.StartedAt), ms(r.UpdatedAt))
	return err
}

// FindDrillRun returns ENOTFOUND.
func (s *DrillService) FindDrillRun(ctx context.Context, id string) (*safedesk.DrillRun, error) {
	r, err := scanDrillRun(s.db.read.QueryRowContext(ctx, `SELECT `+drillColumns+` FROM drill_runs r
		LEFT JOIN users u ON u.id = r.user_id WHERE r.id = $1`, id))
	return r, notFound(err, "Drill run")
}

// UpdateDrillRun locks the run, applies fn and stores it in one transaction.
func (s *DrillService) UpdateDrillRun(ctx context.Context, id string, fn func(r *safedesk.DrillRun) error) (*safedesk.DrillRun, error) {
	var out *safedesk.DrillRun
	err := s.db.tx(ctx, func(tx *Tx) error {
		r, err := scanDrillRun(tx.QueryRowContext(ctx, `SELECT `+drillColumns+` FROM drill_runs r
			LEFT JOIN users u ON u.id = r.user_id WHERE r.id = $1`+s.db.forUpdateOf("r"), id))
		if err != nil {
			return notFound(err, "Drill run")
		}
		if err := fn(r); err != nil {
			return err
		}
		r.UpdatedAt = s.db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE drill_runs SET state = $1, done = $2, passed = $3, score = $4, uncertain = $5,
			updated_at = $6 WHERE id = $7`, string(r.State), r.Done, r.Passed, r.Score, r.Uncertain, ms(r.UpdatedAt), r.ID); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// FindDrillRuns returns runs, newest first.
func (s *DrillService) FindDrillRuns(ctx context.Context, f safedesk.DrillRunFilter) ([]*safedesk.DrillRun, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.UserID != "" {
		args = append(args, f.UserID)
		where = append(where, fmt.Sprintf("r.user_id = $%d", len(args)))
	}
	if f.ScenarioID != "" {
		args = append(args, f.ScenarioID)
		where = append(where, fmt.Sprintf("r.scenario_id = $%d", len(args)))
	}
	if f.NeedsReview {
		where = append(where, "r.uncertain > 0")
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	args = append(args, limit)
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+drillColumns+` FROM drill_runs r LEFT JOIN users u ON u.id = r.user_id
		WHERE `+strings.Join(where, " AND ")+fmt.Sprintf(` ORDER BY r.started_at DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*safedesk.DrillRun
	for rows.Next() {
		r, err := scanDrillRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountPassedScenarios counts the distinct scenarios of a course a person has passed.
func (s *DrillService) CountPassedScenarios(ctx context.Context, userID, courseID string) (int, error) {
	var n int
	err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(DISTINCT scenario_id) FROM drill_runs
		WHERE user_id = $1 AND course_id = $2 AND passed = $3`, userID, courseID, true).Scan(&n)
	return n, err
}
