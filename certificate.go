package safedesk

import (
	"context"
	"slices"
	"strings"
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
	// RecertifyBy, when set, is the date by which the holder must pass the course's
	// certification again (after a new major version of the course, or whatever later work
	// calls MarkRecertify for); RecertifyReason says why. Neither is signed: they are the
	// register's, like a revocation.
	RecertifyBy     time.Time `json:"recertify_by,omitzero"`
	RecertifyReason string    `json:"recertify_reason,omitempty"`
	// RemindedDays is the closest threshold (days before expiry) at which the holder was
	// reminded, 0 before the first reminder; RenewalAssignedAt is when the course was
	// assigned again for recertification.
	RemindedDays      int       `json:"-"`
	RenewalAssignedAt time.Time `json:"-"`
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

// RegisterStatusAt is the status the register shows at t: StatusAt, except that a valid
// certificate that expires within CertExpiringWithin is CertExpiring.
func (c *Certificate) RegisterStatusAt(t time.Time) string {
	st := c.StatusAt(t)
	if st == CertValid && c.ExpiresAt.Sub(t) <= CertExpiringWithin {
		return CertExpiring
	}
	return st
}

// RecertifyPending reports whether the certificate is still in force at t and its holder
// has been asked to recertify.
func (c *Certificate) RecertifyPending(t time.Time) bool {
	return !c.RecertifyBy.IsZero() && c.StatusAt(t) == CertValid
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

	// FindCertificates returns one page of the register: the entries that match f, ordered
	// by holder, course and issue date (newest first); the number of entries that match f;
	// and the counts per status of the entries that match f but for its Status. EINVALID
	// for a filter that does not validate.
	FindCertificates(ctx context.Context, f CertificateFilter) ([]*RegisterEntry, int, CertificateCounts, error)
	// MarkRecertify asks the holders of the certificates that match f, are in force now and
	// are their holder's current certificate of the course, to recertify by the given
	// time. A certificate already due earlier keeps its date. In the same transaction it
	// notifies each holder (NotifyCertRecertify) and records one audit entry; it returns the
	// certificates whose date it set. EINVALID when f
	// names no course, team, person or code, asks for a status other than CertValid or
	// CertExpiring, or the reason is empty or longer than 500 characters.
	MarkRecertify(ctx context.Context, f CertificateFilter, by time.Time, reason string) ([]*Certificate, error)
	// FindExpiringCertificates returns the certificates in force now that expire no later
	// than before, of active holders, leaving out any superseded by a later certificate of
	// the same course (their holders have recertified), soonest expiry first.
	FindExpiringCertificates(ctx context.Context, before time.Time) ([]*Certificate, error)
	// RemindExpiry reminds the holder of a certificate that expires within days: in one
	// transaction it stores a NotifyCertExpiring notification, unless one was stored at
	// this threshold or a closer one (or days is 0), and, the first time, assigns the
	// certificate's course again to its holder, due when the certificate expires, so that
	// the recertification exam shows up. It reports whether it reminded and whether it
	// assigned. ENOTFOUND.
	RemindExpiry(ctx context.Context, code string, days int) (reminded, assigned bool, err error)
}

// CertExpiring is the register's status of a valid certificate close to its expiry;
// CertRecertify selects, in a filter, the valid certificates whose holders must recertify.
const (
	CertExpiring  = "expiring"
	CertRecertify = "recertify"
)

// CertExpiringWithin is how close to its expiry a valid certificate counts as expiring: the
// register shows it so, its holder is reminded, and the course is assigned again.
const CertExpiringWithin = 30 * 24 * time.Hour

// CertReminderDays are the days before expiry at which holders are reminded, latest first.
var CertReminderDays = [...]int{30, 14, 7}

// RecertifyWithin is how long holders have to recertify once a new major version of their
// course is installed.
const RecertifyWithin = 90 * 24 * time.Hour

// Notification kinds about certificates; their parameters are CertNoteParams as JSON.
const (
	NotifyCertExpiring  = "cert.expiring"
	NotifyCertRecertify = "cert.recertify"
)

// CertNoteParams are the parameters of a certificate notification: ExpiresAt and Days (the
// reminder threshold) for NotifyCertExpiring, By and Reason for NotifyCertRecertify.
type CertNoteParams struct {
	Code      string    `json:"code"`
	CourseID  string    `json:"course_id"`
	ExamID    string    `json:"exam_id,omitempty"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	Days      int       `json:"days,omitempty"`
	By        time.Time `json:"by,omitzero"`
	Reason    string    `json:"reason,omitempty"`
}

// Audit actions of the register.
const (
	AuditCertExported        = "cert.register_exported"
	AuditCertRecertifyMarked = "cert.recertify_marked"
)

// majorReason prefixes the recertification reason that a new major version records.
const majorReason = "major_version:"

// MajorVersionReason is the recertification reason recorded when version, a new major
// version of the course, is installed. Interfaces show it in the reader's language, having
// recognised it with ParseMajorVersionReason; any other reason is shown as written.
func MajorVersionReason(version string) string { return majorReason + version }

// ParseMajorVersionReason returns the version named by a reason from MajorVersionReason.
func ParseMajorVersionReason(reason string) (version string, ok bool) {
	return strings.CutPrefix(reason, majorReason)
}

// A CertificateFilter selects certificates for the register and for MarkRecertify. Empty
// fields match everything. Status is judged at the store's clock: CertValid, CertExpiring,
// CertExpired and CertRevoked split the certificates without overlap (a valid one is not
// also expiring); CertRecertify selects the valid and expiring ones whose holders must
// recertify.
type CertificateFilter struct {
	TeamID   string   `json:"team_id,omitempty"`
	CourseID string   `json:"course_id,omitempty"`
	UserID   string   `json:"user_id,omitempty"`
	Status   string   `json:"status,omitempty"`
	Codes    []string `json:"codes,omitempty"`
	// CourseVersions keeps the certificates issued on one of these versions of the course.
	CourseVersions []string `json:"course_versions,omitempty"`
	// Current keeps each holder's current certificate of a course: a certificate is
	// superseded by a later one of the same holder and course that is not revoked.
	Current bool `json:"current,omitempty"`
	Offset  int  `json:"-"`
	Limit   int  `json:"-"` // 0: every entry
}

// CertificateStatuses are the values CertificateFilter.Status takes besides "".
var CertificateStatuses = []string{CertValid, CertExpiring, CertExpired, CertRevoked, CertRecertify}

// Validate checks the status and the paging.
func (f CertificateFilter) Validate() error {
	if f.Status != "" && !slices.Contains(CertificateStatuses, f.Status) {
		return FieldError("status", "Status is one of %s.", strings.Join(CertificateStatuses, ", "))
	}
	if f.Offset < 0 || f.Limit < 0 {
		return FieldError("offset", "Offset and limit cannot be negative.")
	}
	return nil
}

// CertificateCounts counts register entries per status. Valid, Expiring, Expired and
// Revoked do not overlap; Recertify counts the valid and expiring ones whose holders must
// recertify.
type CertificateCounts struct {
	Valid     int `json:"valid"`
	Expiring  int `json:"expiring"`
	Expired   int `json:"expired"`
	Revoked   int `json:"revoked"`
	Recertify int `json:"recertify"`
}

// Total is the number of entries counted.
func (c CertificateCounts) Total() int { return c.Valid + c.Expiring + c.Expired + c.Revoked }

// A RegisterEntry is a certificate as the register lists it, with its holder's current
// login e-mail, employee number and team.
type RegisterEntry struct {
	Certificate
	Email      string `json:"email"`
	EmployeeNo string `json:"employee_no,omitempty"`
	TeamID     string `json:"team_id,omitempty"`
	Team       string `json:"team,omitempty"`
}
