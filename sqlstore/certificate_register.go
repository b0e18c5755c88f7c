package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"safedesk"
)

// prefixed returns certColumns qualified by a table alias, so that they stay unambiguous in
// joins and subqueries. Columns in blank are selected as empty strings instead: the register
// lists thousands of certificates and needs none of their signed payloads.
func prefixed(alias string, blank ...string) string {
	cols := strings.Split(certColumns, ",")
	for i, c := range cols {
		c = strings.TrimSpace(c)
		if slices.Contains(blank, c) {
			cols[i] = "''"
		} else {
			cols[i] = alias + "." + c
		}
	}
	return strings.Join(cols, ", ")
}

// current is true of a certificate (alias c) that no later, unrevoked certificate of the same
// holder and course supersedes. Ties on the issue time are broken by code.
const current = `NOT EXISTS (SELECT 1 FROM certificates n WHERE n.user_id = c.user_id AND n.course_id = c.course_id
	AND n.revoked_at = 0 AND (n.issued_at > c.issued_at OR (n.issued_at = c.issued_at AND n.code > c.code)))`

// certQuery builds the WHERE clause of a register query over certificates c joined to
// users u. Values only ever travel as arguments.
type certQuery struct {
	where []string
	args  []any
}

// arg adds a value and returns its placeholder.
func (q *certQuery) arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("$%d", len(q.args))
}

// in returns a placeholder list for values.
func (q *certQuery) in(values []string) string {
	ph := make([]string, len(values))
	for i, v := range values {
		ph[i] = q.arg(v)
	}
	return strings.Join(ph, ", ")
}

func (q *certQuery) add(cond string) { q.where = append(q.where, cond) }

func (q *certQuery) sql() string {
	if len(q.where) == 0 {
		return "1 = 1"
	}
	return strings.Join(q.where, " AND ")
}

// newCertQuery applies every field of f but Status and the paging.
func newCertQuery(f safedesk.CertificateFilter) *certQuery {
	q := &certQuery{}
	if f.TeamID != "" {
		q.add("u.team_id = " + q.arg(f.TeamID))
	}
	if f.CourseID != "" {
		q.add("c.course_id = " + q.arg(f.CourseID))
	}
	if f.UserID != "" {
		q.add("c.user_id = " + q.arg(f.UserID))
	}
	if len(f.Codes) > 0 {
		q.add("c.code IN (" + q.in(f.Codes) + ")")
	}
	if len(f.CourseVersions) > 0 {
		q.add("c.course_version IN (" + q.in(f.CourseVersions) + ")")
	}
	if f.Current {
		q.add(current)
	}
	return q
}

// status adds the condition of a register status at now. The statuses split certificates
// exactly as Certificate.RegisterStatusAt does: expired from the expiry instant on, and
// expiring while at most CertExpiringWithin remains.
func (q *certQuery) status(st string, now time.Time) {
	soon := now.Add(safedesk.CertExpiringWithin)
	switch st {
	case safedesk.CertValid:
		q.add("c.revoked_at = 0 AND c.expires_at > " + q.arg(ms(soon)))
	case safedesk.CertExpiring:
		q.add("c.revoked_at = 0 AND c.expires_at > " + q.arg(ms(now)) + " AND c.expires_at <= " + q.arg(ms(soon)))
	case safedesk.CertExpired:
		q.add("c.revoked_at = 0 AND c.expires_at <= " + q.arg(ms(now)))
	case safedesk.CertRevoked:
		q.add("c.revoked_at <> 0")
	case safedesk.CertRecertify:
		q.add("c.revoked_at = 0 AND c.expires_at > " + q.arg(ms(now)) + " AND c.recertify_by <> 0")
	}
}

const registerFrom = ` FROM certificates c JOIN users u ON u.id = c.user_id LEFT JOIN teams t ON t.id = u.team_id`

// FindCertificates returns one page of the register, the number of entries that match f
// and the counts per status. The counts come from one aggregate query, and the total from
// them, so a page costs two queries whatever the filter.
func (s *CertificateService) FindCertificates(ctx context.Context, f safedesk.CertificateFilter) ([]*safedesk.RegisterEntry, int, safedesk.CertificateCounts, error) {
	var counts safedesk.CertificateCounts
	if err := f.Validate(); err != nil {
		return nil, 0, counts, err
	}
	now := s.db.now()
	cq := newCertQuery(f)
	soon, nowArg := cq.arg(ms(now.Add(safedesk.CertExpiringWithin))), cq.arg(ms(now))
	err := s.db.read.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN c.revoked_at = 0 AND c.expires_at > `+soon+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.revoked_at = 0 AND c.expires_at > `+nowArg+` AND c.expires_at <= `+soon+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.revoked_at = 0 AND c.expires_at <= `+nowArg+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.revoked_at <> 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.revoked_at = 0 AND c.expires_at > `+nowArg+` AND c.recertify_by <> 0 THEN 1 ELSE 0 END), 0)`+
		registerFrom+` WHERE `+cq.sql(), cq.args...).
		Scan(&counts.Valid, &counts.Expiring, &counts.Expired, &counts.Revoked, &counts.Recertify)
	if err != nil {
		return nil, 0, counts, err
	}
	total := counts.Total()
	switch f.Status {
	case safedesk.CertValid:
		total = counts.Valid
	case safedesk.CertExpiring:
		total = counts.Expiring
	case safedesk.CertExpired:
		total = counts.Expired
	case safedesk.CertRevoked:
		total = counts.Revoked
	case safedesk.CertRecertify:
		total = counts.Recertify
	}

	q := newCertQuery(f)
	q.status(f.Status, now)
	page := ""
	if f.Limit > 0 {
		page = " LIMIT " + q.arg(f.Limit) + " OFFSET " + q.arg(f.Offset)
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+prefixed("c", "payload", "signature")+`,
		u.email, u.employee_no, COALESCE(u.team_id, ''), COALESCE(t.name, '')`+registerFrom+` WHERE `+q.sql()+`
		ORDER BY c.holder, c.course_id, c.issued_at DESC, c.code`+page, q.args...)
	if err != nil {
		return nil, 0, counts, err
	}
	defer rows.Close()
	out := []*safedesk.RegisterEntry{}
	for rows.Next() {
		var e safedesk.RegisterEntry
		c, err := scanCertificate(rowScanner{rows, []any{&e.Email, &e.EmployeeNo, &e.TeamID, &e.Team}})
		if err != nil {
			return nil, 0, counts, err
		}
		e.Certificate = *c
		out = append(out, &e)
	}
	return out, total, counts, rows.Err()
}

// rowScanner scans the certificate columns followed by extra ones.
type rowScanner struct {
	rows  *sql.Rows
	extra []any
}

func (r rowScanner) Scan(dest ...any) error { return r.rows.Scan(append(dest, r.extra...)...) }

// MarkRecertify sets the recertify-by date of the matching certificates in one statement,
// so that two callers at once cannot both move the same date, and notifies the holders
// and audits it in the same transaction.
func (s *CertificateService) MarkRecertify(ctx context.Context, f safedesk.CertificateFilter, by time.Time, reason string) ([]*safedesk.Certificate, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if f.CourseID == "" && f.TeamID == "" && f.UserID == "" && len(f.Codes) == 0 {
		return nil, safedesk.FieldError("filter", "Name the course, team, person or certificates to mark.")
	}
	if f.Status != "" && f.Status != safedesk.CertValid && f.Status != safedesk.CertExpiring {
		return nil, safedesk.FieldError("status", "Only certificates in force can be marked for recertification.")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return nil, safedesk.FieldError("reason", "Give a reason of at most 500 characters.")
	}
	if by.IsZero() {
		return nil, safedesk.FieldError("by", "Give the date by which to recertify.")
	}
	now := s.db.now()
	f.Current = true
	q := newCertQuery(f)
	q.add("c.revoked_at = 0 AND c.expires_at > " + q.arg(ms(now)))
	q.status(f.Status, now)
	byArg := q.arg(ms(by))
	reasonArg := q.arg(reason)
	var out []*safedesk.Certificate
	err := s.db.tx(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE certificates SET recertify_by = `+byArg+`, recertify_reason = `+reasonArg+`
			WHERE (recertify_by = 0 OR recertify_by > `+byArg+`) AND code IN (SELECT c.code`+registerFrom+` WHERE `+q.sql()+`)
			RETURNING `+certColumns, q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCertificate(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if len(out) == 0 {
			return nil
		}
		slices.SortFunc(out, func(a, b *safedesk.Certificate) int { return strings.Compare(a.Code, b.Code) })
		codes := make([]string, len(out))
		for i, c := range out {
			codes[i] = c.Code
			if _, err := notifyTx(ctx, tx, s.db, &safedesk.Notification{UserID: c.UserID, Kind: safedesk.NotifyCertRecertify,
				Ref: c.Code + "@" + strconv.FormatInt(ms(c.RecertifyBy), 10)}, safedesk.CertNoteParams{Code: c.Code, CourseID: c.CourseID,
				ExamID: c.ExamID, By: c.RecertifyBy, Reason: c.RecertifyReason}); err != nil {
				return err
			}
		}
		target := f.CourseID
		if target == "" {
			target = "register"
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditCertRecertifyMarked, target,
			map[string]any{"filter": f, "by": by.UTC(), "reason": reason, "count": len(out), "codes": codes})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FindExpiringCertificates returns the certificates of active holders that are in force now
// and expire no later than before, leaving out superseded ones.
func (s *CertificateService) FindExpiringCertificates(ctx context.Context, before time.Time) ([]*safedesk.Certificate, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+prefixed("c")+registerFrom+`
		WHERE c.revoked_at = 0 AND c.expires_at > $1 AND c.expires_at <= $2 AND u.active = $3 AND `+current+`
		ORDER BY c.expires_at, c.code`, ms(s.db.now()), ms(before), true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*safedesk.Certificate
	for rows.Next() {
		c, err := scanCertificate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RemindExpiry stores the reminder and, the first time, the renewal assignment in one
// transaction with the certificate row locked, so that two passes of the job (on two
// nodes, say) remind once per threshold and assign once.
func (s *CertificateService) RemindExpiry(ctx context.Context, code string, days int) (reminded, assigned bool, err error) {
	if days < 0 {
		return false, false, safedesk.FieldError("days", "Days before expiry cannot be negative.")
	}
	err = s.db.tx(ctx, func(tx *Tx) error {
		c, err := scanCertificate(tx.QueryRowContext(ctx, `SELECT `+certColumns+` FROM certificates WHERE code = $1`+s.db.forUpdate(), code))
		if err != nil {
			return notFound(err, "Certificate")
		}
		now := s.db.now()
		if days > 0 && (c.RemindedDays == 0 || days < c.RemindedDays) {
			reminded, err = notifyTx(ctx, tx, s.db, &safedesk.Notification{UserID: c.UserID, Kind: safedesk.NotifyCertExpiring,
				Ref: fmt.Sprintf("%s@%dd", c.Code, days)}, safedesk.CertNoteParams{Code: c.Code, CourseID: c.CourseID, ExamID: c.ExamID,
				ExpiresAt: c.ExpiresAt, Days: days})
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE certificates SET reminded_days = $1 WHERE code = $2`, days, code); err != nil {
				return err
			}
		}
		if !c.RenewalAssignedAt.IsZero() {
			return nil
		}
		a := &safedesk.Assignment{ID: safedesk.NewID(), CourseID: c.CourseID, UserID: c.UserID, DueAt: c.ExpiresAt, CreatedBy: "system", CreatedAt: now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO assignments (id, course_id, team_id, user_id, due_at, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, a.CourseID, nil, a.UserID, ms(a.DueAt), a.CreatedBy, ms(a.CreatedAt)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE certificates SET renewal_assigned_at = $1 WHERE code = $2`, ms(now), code); err != nil {
			return err
		}
		assigned = true
		return recordTx(ctx, tx, s.db, safedesk.AuditAssigned, c.CourseID,
			map[string]any{"user_id": c.UserID, "due_at": a.DueAt, "certificate": code, "reason": "renewal"})
	})
	if err != nil {
		return false, false, err
	}
	return reminded, assigned, nil
}

// notifyTx stores a notification inside tx, once per (user, kind, ref) as the notification
// service does, and reports whether it is new.
func notifyTx(ctx context.Context, tx *Tx, db *DB, n *safedesk.Notification, params any) (bool, error) {
	b, err := json.Marshal(params)
	if err != nil {
		return false, err
	}
	n.ID, n.CreatedAt, n.Params = safedesk.NewID(), db.now(), string(b)
	res, err := tx.ExecContext(ctx, `INSERT INTO notifications (id, user_id, kind, ref, params, created_at, seen)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, kind, ref) DO NOTHING`,
		n.ID, n.UserID, n.Kind, n.Ref, n.Params, ms(n.CreatedAt), false)
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k > 0, err
}
