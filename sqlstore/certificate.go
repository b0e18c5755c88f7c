package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"safedesk"
)

// CertificateService stores certificates.
type CertificateService struct{ db *DB }

// NewCertificateService returns the certificate service of db.
func NewCertificateService(db *DB) *CertificateService { return &CertificateService{db: db} }

var _ safedesk.CertificateService = (*CertificateService)(nil)

const certColumns = `code, user_id, holder, course_id, course_title, course_version, exam_id, attempt_id, issued_at,
	expires_at, key_id, payload, signature, revoked_at, revoke_reason, recertify_by, recertify_reason, reminded_days, renewal_assigned_at`

func scanCertificate(sc scanner) (*safedesk.Certificate, error) {
	var c safedesk.Certificate
	var title string
	var issued, expires, revoked, recertify, renewal int64
	if err := sc.Scan(&c.Code, &c.UserID, &c.Holder, &c.CourseID, &title, &c.CourseVersion, &c.ExamID, &c.AttemptID,
		&issued, &expires, &c.KeyID, &c.Payload, &c.Signature, &revoked, &c.RevokeReason, &recertify, &c.RecertifyReason,
		&c.RemindedDays, &renewal); err != nil {
		return nil, err
	}
	json.Unmarshal([]byte(title), &c.CourseTitle)
	c.IssuedAt, c.ExpiresAt, c.RevokedAt = fromMS(issued), fromMS(expires), fromMS(revoked)
	c.RecertifyBy, c.RenewalAssignedAt = fromMS(recertify), fromMS(renewal)
	return &c, nil
}

func insertCertificate(ctx context.Context, tx *Tx, c *safedesk.Certificate) error {
	title, _ := json.Marshal(c.CourseTitle)
	_, err := tx.ExecContext(ctx, `INSERT INTO certificates (code, user_id, holder, course_id, course_title, course_version,
		exam_id, attempt_id, issued_at, expires_at, key_id, payload, signature)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		c.Code, c.UserID, c.Holder, c.CourseID, string(title), c.CourseVersion, c.ExamID, c.AttemptID,
		ms(c.IssuedAt), ms(c.ExpiresAt), c.KeyID, c.Payload, c.Signature)
	return err
}

func findCertificateByAttempt(ctx context.Context, tx *Tx, attemptID string) (*safedesk.Certificate, error) {
	c, err := scanCertificate(tx.QueryRowContext(ctx, `SELECT `+certColumns+` FROM certificates WHERE attempt_id = $1`, attemptID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return c, err
}

// FindCertificate returns ENOTFOUND.
func (s *CertificateService) FindCertificate(ctx context.Context, code string) (*safedesk.Certificate, error) {
	c, err := scanCertificate(s.db.read.QueryRowContext(ctx, `SELECT `+certColumns+` FROM certificates WHERE code = $1`, code))
	return c, notFound(err, "Certificate")
}

// FindUserCertificates returns a person's certificates, newest first.
func (s *CertificateService) FindUserCertificates(ctx context.Context, userID string) ([]*safedesk.Certificate, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+certColumns+` FROM certificates WHERE user_id = $1 ORDER BY issued_at DESC`, userID)
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

// RevokeCertificate marks a certificate revoked, audited in the same transaction.
func (s *CertificateService) RevokeCertificate(ctx context.Context, code, reason string) (*safedesk.Certificate, error) {
	var out *safedesk.Certificate
	err := s.db.tx(ctx, func(tx *Tx) error {
		c, err := scanCertificate(tx.QueryRowContext(ctx, `SELECT `+certColumns+` FROM certificates WHERE code = $1`+s.db.forUpdate(), code))
		if err != nil {
			return notFound(err, "Certificate")
		}
		if !c.RevokedAt.IsZero() {
			return safedesk.Errorf(safedesk.ECONFLICT, "The certificate is already revoked.")
		}
		c.RevokedAt, c.RevokeReason = s.db.now(), reason
		if _, err := tx.ExecContext(ctx, `UPDATE certificates SET revoked_at = $1, revoke_reason = $2 WHERE code = $3`,
			ms(c.RevokedAt), reason, code); err != nil {
			return err
		}
		out = c
		return recordTx(ctx, tx, s.db, safedesk.AuditCertRevoked, code, map[string]string{"reason": reason})
	})
	return out, err
}
