package safedesk

import (
	"context"
	"time"
)

// Audit actions.
const (
	AuditSignIn         = "auth.sign_in"
	AuditSignInFailed   = "auth.sign_in_failed"
	AuditSignOut        = "auth.sign_out"
	AuditMFAEnrolled    = "auth.mfa_enrolled"
	AuditPasswordChange = "auth.password_changed"
	AuditTokenCreated   = "auth.token_created"
	AuditTokenDeleted   = "auth.token_deleted"
	AuditUserCreated    = "user.created"
	AuditUserUpdated    = "user.updated"
	AuditTeamCreated    = "team.created"
	AuditUsersImported  = "user.imported"
	AuditPackInstalled  = "course.pack_installed"
	AuditAssigned       = "course.assigned"
	AuditDemoCreated    = "system.demo_created"
	AuditCertIssued     = "cert.issued"
	AuditCertRevoked    = "cert.revoked"
	AuditAttemptStarted = "exam.attempt_started"
	AuditAttemptGraded  = "exam.attempt_submitted"
	AuditAttemptDenied  = "exam.attempt_denied"
	AuditDrillOverride  = "drill.override"
)

// An AuditEntry is one link of the tamper-evident audit chain: Hash covers the entry and
// the previous entry's hash, so editing or removing any row breaks every hash after it.
type AuditEntry struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	ActorID  string    `json:"actor_id"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Target   string    `json:"target"`
	Detail   string    `json:"detail"`
	IP       string    `json:"ip"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Action string
	Offset int
	Limit  int
}

// AuditService appends to and reads the audit chain.
type AuditService interface {
	// Record appends an entry for the actor in ctx.
	Record(ctx context.Context, action, target string, detail any) error
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
	// VerifyAudit walks the chain from the start; it returns the first broken entry's seq
	// (0 when intact) and a description of the break.
	VerifyAudit(ctx context.Context) (brokenSeq int64, reason string, checked int64, err error)
}
