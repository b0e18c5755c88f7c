package sqlstore

import (
	"context"

	"safedesk"
)

// IssueCertificate stores the certificate of an attempt passed earlier, audited in the same
// transaction. An attempt has at most one certificate (attempt_id is unique), so two nodes
// racing to issue it store one.
func (s *ExamService) IssueCertificate(ctx context.Context, c *safedesk.Certificate) error {
	return s.db.tx(ctx, func(tx *Tx) error {
		if err := insertCertificate(ctx, tx, c); err != nil {
			if isUniqueViolation(err) {
				return safedesk.Errorf(safedesk.ECONFLICT, "The attempt already has a certificate.")
			}
			return err
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditCertIssued, c.Code, map[string]any{"user_id": c.UserID,
			"course_id": c.CourseID, "expires_at": c.ExpiresAt, "after": "drills"})
	})
}
