// Package http serves SafeDesk's web UI and JSON API over net/http. Every route is declared
// in routes.go with the roles that may call it; middleware resolves who is calling (session
// cookie or bearer token), enforces those roles, CSRF protection, rate limits and security
// headers, and maps errors to responses in one place.
package http

import (
	"context"
	"embed"
	"log/slog"
	"runtime"
	"time"

	"safedesk"
	"safedesk/content"
	"safedesk/drill"
)

//go:embed html/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Checker runs the risk engine on one message written by role ("agent" or "customer")
// and appends the result to dst as the JSON object of the scan contract without "id".
type Checker interface {
	AppendCheckJSON(dst []byte, role, text string) ([]byte, error)
}

// Server holds the services the handlers use. Fields are set by cmd/safedesk before
// Handler is called.
type Server struct {
	Users         safedesk.UserService
	Auth          safedesk.AuthService
	Audit         safedesk.AuditService
	Courses       safedesk.CourseService
	Notifications safedesk.NotificationService
	Exams         safedesk.ExamService
	Certificates  safedesk.CertificateService
	Certifier     Certifier
	Drills        safedesk.DrillService
	DrillEngine   *drill.Engine
	Catalog       *content.Catalog
	Checker       Checker
	// Ping reports whether the database answers, for /readyz.
	Ping   func(context.Context) error
	Logger *slog.Logger
	Clock  safedesk.Clock

	// SecureCookies marks cookies Secure; set it when served over TLS.
	SecureCookies bool
	// SessionTTL is how long a browser session lasts without signing in again.
	SessionTTL time.Duration
	// TokenTTL is the lifetime of tokens issued by the sign-in API.
	TokenTTL time.Duration
	// Issuer names the organisation in MFA apps.
	Issuer string
	// BaseURL is the public address of the server, for links printed on certificates;
	// empty means the address the request came to.
	BaseURL string

	tmpl     *templates
	limits   *limiters
	hashing  chan struct{} // bounds concurrent password hashing, which is CPU- and memory-bound
	metrics  *metrics
	assets   *assetSet
	md       *markdown
	attempts attemptCache
	tokens   tokenCache
}

// Init parses templates and prepares shared state; a missing or broken template fails here,
// at start-up, not on a request.
func (s *Server) Init() error {
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Clock == nil {
		s.Clock = safedesk.SystemClock{}
	}
	if s.SessionTTL == 0 {
		s.SessionTTL = 12 * time.Hour
	}
	if s.TokenTTL == 0 {
		s.TokenTTL = 24 * time.Hour
	}
	if s.Issuer == "" {
		s.Issuer = "SafeDesk"
	}
	var err error
	if s.assets, err = newAssetSet(); err != nil {
		return err
	}
	if s.tmpl, err = parseTemplates(s.assets); err != nil {
		return err
	}
	s.limits = newLimiters(s.Clock)
	s.hashing = make(chan struct{}, max(2, runtime.NumCPU()))
	s.metrics = newMetrics()
	s.md = newMarkdown()
	dummyHash() // now, so that the first unknown login takes no longer than the others
	return nil
}
