package safedesk

import (
	"context"
	"time"
)

// Certificate statuses, as public verification reports them.
const (
	CertValid   = "valid"
	CertExpired = "expired"
	CertRevoked = "revoked"
	CertUnknown = "unknown"
)

// A Certificate records that a person passed a course's certification. Payload is the
// canonical signed text and Signature its Ed25519 signature by key KeyID; the other fields
// repeat the payload for queries.
type Certificate struct {
	Code          string    `json:"code"`
	UserID        string    `json:"user_id"`
	Holder        string    `json:"holder"`
	CourseID      string    `json:"course_id"`
	CourseTitle   Text      `json:"course_title"`
	CourseVersion string    `json:"course_version"`
	ExamID        string    `json:"exam_id"`
	AttemptID     string    `json:"attempt_id"`
	IssuedAt      time.Time `json:"issued_at"`
	ExpiresAt     time.Time `json:"expires_at"`
	KeyID         string    `json:"key_id"`
	Payload       string    `json:"payload"`
	Signature     string    `json:"signature"`
	RevokedAt     time.Time `json:"revoked_at,omitzero"`
	RevokeReason  string    `json:"revoke_reason,omitempty"`
}

// StatusAt reports the certificate's status at time t.
func (c *Certificate) StatusAt(t time.Time) string {
	switch {
	case !c.RevokedAt.IsZero():
		return CertRevoked
	case !t.Before(c.ExpiresAt):
		return CertExpired
	}
	return CertValid
}

// CertificateService stores certificates.
type CertificateService interface {
	// FindCertificate returns ENOTFOUND.
	FindCertificate(ctx context.Context, code string) (*Certificate, error)
	// FindUserCertificates returns a person's certificates, newest first.
	FindUserCertificates(ctx context.Context, userID string) ([]*Certificate, error)
	// RevokeCertificate marks a certificate revoked with a reason; ENOTFOUND, ECONFLICT when
	// already revoked.
	RevokeCertificate(ctx context.Context, code, reason string) (*Certificate, error)
}
