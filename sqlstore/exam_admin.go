package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"safedesk"
)

// CreateExam stores a new exam defined by a trainer and audits it in the same transaction.
func (s *ExamService) CreateExam(ctx context.Context, e *safedesk.Exam) error {
	title, bp, err := examJSON(e)
	if err != nil {
		return err
	}
	now := s.db.now()
	if e.CreatedAt.IsZero() {
		e.CreatedAt = now
	}
	return s.db.tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO exams (id, course_id, spec_id, kind, title, blueprint, pass_mark,
			time_limit_s, attempts, cooldown_s, opens_at, closes_at, shuffle_options, review, multiple_choice, validity_months,
			required_drills, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
			e.ID, e.CourseID, e.SpecID, e.Kind, title, bp, e.PassMark, int64(e.TimeLimit/time.Second), e.Attempts,
			int64(e.Cooldown/time.Second), ms(e.OpensAt), ms(e.ClosesAt), e.ShuffleOptions, e.Review, e.MultipleChoice,
			e.ValidityMonths, e.RequiredDrills, ms(e.CreatedAt), ms(now))
		if isUniqueViolation(err) {
			return safedesk.Errorf(safedesk.ECONFLICT, "An exam with the id %s exists.", e.ID)
		}
		if err != nil {
			return err
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditExamCreated, e.ID, examAuditFields(e))
	})
}

// UpdateExam replaces the rules of a trainer's exam, keeping its course, and audits the
// fields that changed. A pack's exam is refused: installing the pack writes over it.
func (s *ExamService) UpdateExam(ctx context.Context, e *safedesk.Exam) error {
	defer s.cache.forgetExam(e.ID) // read afresh here from now on
	title, bp, err := examJSON(e)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *Tx) error {
		old, err := scanExam(tx.QueryRowContext(ctx, `SELECT `+examColumns+` FROM exams WHERE id = $1`+s.db.forUpdate(), e.ID))
		if err != nil {
			return notFound(err, "Exam")
		}
		if old.FromPack() {
			return safedesk.Localized(safedesk.ECONFLICT, "", "exam_from_pack",
				"This exam belongs to the course pack and is replaced whenever the pack is installed; change it in the pack, or copy it as a new exam.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE exams SET kind = $1, title = $2, blueprint = $3, pass_mark = $4,
			time_limit_s = $5, attempts = $6, cooldown_s = $7, opens_at = $8, closes_at = $9, shuffle_options = $10,
			review = $11, multiple_choice = $12, validity_months = $13, required_drills = $14, updated_at = $15 WHERE id = $16`,
			e.Kind, title, bp, e.PassMark, int64(e.TimeLimit/time.Second), e.Attempts, int64(e.Cooldown/time.Second),
			ms(e.OpensAt), ms(e.ClosesAt), e.ShuffleOptions, e.Review, e.MultipleChoice, e.ValidityMonths, e.RequiredDrills,
			ms(s.db.now()), e.ID); err != nil {
			return err
		}
		e.CourseID, e.SpecID, e.CreatedAt = old.CourseID, old.SpecID, old.CreatedAt
		changes := examChanges(examAuditFields(old), examAuditFields(e))
		if len(changes) == 0 {
			return nil
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditExamUpdated, e.ID, changes)
	})
}

func examJSON(e *safedesk.Exam) (title, blueprint string, err error) {
	t, err := json.Marshal(e.Title)
	if err != nil {
		return "", "", err
	}
	bp, err := json.Marshal(e.Blueprint)
	if err != nil {
		return "", "", err
	}
	return string(t), string(bp), nil
}

// examAuditFields are an exam's rules as the audit log records them.
func examAuditFields(e *safedesk.Exam) map[string]any {
	return map[string]any{"course_id": e.CourseID, "kind": e.Kind, "title": e.Title, "blueprint": e.Blueprint,
		"pass_mark": e.PassMark, "time_limit_minutes": int(e.TimeLimit / time.Minute), "attempts": e.Attempts,
		"cooldown_minutes": int(e.Cooldown / time.Minute), "opens_at": e.OpensAt, "closes_at": e.ClosesAt,
		"shuffle_options": e.ShuffleOptions, "review": e.Review, "multiple_choice": e.MultipleChoice,
		"validity_months": e.ValidityMonths, "required_drills": e.RequiredDrills}
}

// examChanges returns field → {"from", "to"} for every field whose JSON differs.
func examChanges(before, after map[string]any) map[string]any {
	out := map[string]any{}
	for k, a := range after {
		b := before[k]
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			out[k] = map[string]any{"from": b, "to": a}
		}
	}
	return out
}

// CountAttempts summarises the attempts at every exam in one query.
func (s *ExamService) CountAttempts(ctx context.Context) (map[string]safedesk.ExamCounts, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT exam_id, COUNT(*),
		SUM(CASE WHEN submitted_at > 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN submitted_at > 0 AND passed THEN 1 ELSE 0 END),
		SUM(CASE WHEN submitted_at > 0 AND pending > 0 THEN 1 ELSE 0 END),
		COUNT(DISTINCT user_id)
		FROM attempts GROUP BY exam_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]safedesk.ExamCounts{}
	for rows.Next() {
		var id string
		var c safedesk.ExamCounts
		if err := rows.Scan(&id, &c.Attempts, &c.Submitted, &c.Passed, &c.Pending, &c.People); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, rows.Err()
}

// FindAccommodation returns a person's time multiplier at an exam, 1 when none is set.
func (s *ExamService) FindAccommodation(ctx context.Context, examID, userID string) (float64, error) {
	var m float64
	err := s.db.read.QueryRowContext(ctx, `SELECT multiplier FROM exam_accommodations WHERE exam_id = $1 AND user_id = $2`,
		examID, userID).Scan(&m)
	if err == sql.ErrNoRows {
		return 1, nil
	}
	return m, err
}

// FindAccommodations returns the accommodations at an exam, most recently set first.
func (s *ExamService) FindAccommodations(ctx context.Context, examID string) ([]*safedesk.Accommodation, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT exam_id, user_id, multiplier, note, set_by, updated_at
		FROM exam_accommodations WHERE exam_id = $1 ORDER BY updated_at DESC, user_id`, examID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*safedesk.Accommodation
	for rows.Next() {
		var a safedesk.Accommodation
		var at int64
		if err := rows.Scan(&a.ExamID, &a.UserID, &a.Multiplier, &a.Note, &a.SetBy, &at); err != nil {
			return nil, err
		}
		a.UpdatedAt = fromMS(at)
		out = append(out, &a)
	}
	return out, rows.Err()
}

// SetAccommodation stores or, with a multiplier of 1, removes an accommodation, and
// audits the change with the previous multiplier.
func (s *ExamService) SetAccommodation(ctx context.Context, a *safedesk.Accommodation) error {
	if math.IsNaN(a.Multiplier) || a.Multiplier < 1 {
		return safedesk.FieldError("multiplier", "The multiplier must be at least 1.")
	}
	return s.db.tx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM exams WHERE id = $1`, a.ExamID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return safedesk.Errorf(safedesk.ENOTFOUND, "Exam not found.")
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1`, a.UserID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return safedesk.Errorf(safedesk.ENOTFOUND, "User not found.")
		}
		prev := 1.0
		err := tx.QueryRowContext(ctx, `SELECT multiplier FROM exam_accommodations WHERE exam_id = $1 AND user_id = $2`+s.db.forUpdate(),
			a.ExamID, a.UserID).Scan(&prev)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		a.UpdatedAt = s.db.now()
		if a.Multiplier == 1 {
			_, err = tx.ExecContext(ctx, `DELETE FROM exam_accommodations WHERE exam_id = $1 AND user_id = $2`, a.ExamID, a.UserID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO exam_accommodations (exam_id, user_id, multiplier, note, set_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (exam_id, user_id) DO UPDATE SET multiplier = excluded.multiplier, note = excluded.note,
					set_by = excluded.set_by, updated_at = excluded.updated_at`,
				a.ExamID, a.UserID, a.Multiplier, a.Note, a.SetBy, ms(a.UpdatedAt))
		}
		if err != nil {
			return err
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditAccommodationSet, a.ExamID,
			map[string]any{"user_id": a.UserID, "multiplier": a.Multiplier, "previous": prev, "note": a.Note})
	})
}

// FindFirstAttempts returns every person's first attempt at an exam, when submitted.
func (s *ExamService) FindFirstAttempts(ctx context.Context, examID string) ([]*safedesk.Attempt, error) {
	return s.findAttempts(ctx, `exam_id = $1 AND number = 1 AND submitted_at > 0 ORDER BY submitted_at, id`, examID)
}

// FindFirstAttemptAnswers returns the saved answers of the attempts FindFirstAttempts
// returns, in one query.
func (s *ExamService) FindFirstAttemptAnswers(ctx context.Context, examID string) (map[string]map[string]json.RawMessage, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT w.attempt_id, w.question_id, w.response FROM answers w
		JOIN attempts a ON a.id = w.attempt_id WHERE a.exam_id = $1 AND a.number = 1 AND a.submitted_at > 0`, examID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]json.RawMessage{}
	for rows.Next() {
		var aid, qid, resp string
		if err := rows.Scan(&aid, &qid, &resp); err != nil {
			return nil, err
		}
		if out[aid] == nil {
			out[aid] = map[string]json.RawMessage{}
		}
		out[aid][qid] = json.RawMessage(resp)
	}
	return out, rows.Err()
}

// FindPendingReviews returns submitted attempts with answers waiting for review.
func (s *ExamService) FindPendingReviews(ctx context.Context, examID string, limit int) ([]*safedesk.Attempt, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return s.findAttempts(ctx, `pending > 0 AND submitted_at > 0 AND ($1 = '' OR exam_id = $1)
		ORDER BY submitted_at, id LIMIT $2`, examID, limit)
}

// ReviewAnswer regrades a submitted attempt after a trainer's decision, in one
// transaction with the certificate the regrade issues and the audit entries of both. The
// attempt row is locked first, so two trainers deciding the same answer at once decide it
// once: the second regrade sees the answer already reviewed.
func (s *ExamService) ReviewAnswer(ctx context.Context, r safedesk.AnswerReview, regrade safedesk.RegradeFunc) (*safedesk.Attempt, *safedesk.Certificate, error) {
	var out *safedesk.Attempt
	var cert *safedesk.Certificate
	err := s.db.tx(ctx, func(tx *Tx) error {
		a, err := scanAttempt(tx.QueryRowContext(ctx, `SELECT `+attemptColumns+` FROM attempts WHERE id = $1`+s.db.forUpdate(), r.AttemptID))
		if err != nil {
			return notFound(err, "Attempt")
		}
		if !a.Submitted() {
			return safedesk.Localized(safedesk.ECONFLICT, "", "review_not_submitted", "The attempt has not been submitted yet.")
		}
		existing, err := findCertificateByAttempt(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		before, passedBefore := a.Score, a.Passed
		g, err := regrade(a, existing != nil)
		if err != nil {
			return err
		}
		a.Score, a.Passed, a.Pending, a.Results = g.Score, g.Passed, g.Pending, g.Results
		if _, err := tx.ExecContext(ctx, `UPDATE attempts SET score = $1, passed = $2, pending = $3, results = $4 WHERE id = $5`,
			g.Score, g.Passed, g.Pending, string(g.Results), a.ID); err != nil {
			return err
		}
		if err := recordTx(ctx, tx, s.db, safedesk.AuditAnswerReviewed, a.ID, map[string]any{"question_id": r.QuestionID,
			"credit": r.Score, "score_before": before, "score": g.Score, "passed_before": passedBefore, "passed": g.Passed,
			"pending": g.Pending}); err != nil {
			return err
		}
		if g.Certificate != nil && existing == nil {
			if err := insertCertificate(ctx, tx, g.Certificate); err != nil {
				return fmt.Errorf("certificate: %w", err)
			}
			if err := recordTx(ctx, tx, s.db, safedesk.AuditCertIssued, g.Certificate.Code, map[string]any{"user_id": a.UserID,
				"course_id": g.Certificate.CourseID, "expires_at": g.Certificate.ExpiresAt, "attempt_id": a.ID, "after": "review"}); err != nil {
				return err
			}
			cert = g.Certificate
		} else {
			cert = existing
		}
		out = a
		return nil
	})
	return out, cert, err
}
