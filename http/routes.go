package http

import (
	"net/http"

	"safedesk"
)

// Who may call a route.
var (
	public   []string // no sign-in
	everyone = safedesk.Roles
	staff    = []string{safedesk.RoleAdmin, safedesk.RoleTrainer}
	readers  = []string{safedesk.RoleAdmin, safedesk.RoleTrainer, safedesk.RoleAuditor}
	auditors = []string{safedesk.RoleAdmin, safedesk.RoleAuditor}
	admins   = []string{safedesk.RoleAdmin}
)

// A route is one pattern with the roles allowed to call it. Kind says how failures answer:
// JSON for the API, pages and redirects for the UI.
type route struct {
	Pattern string
	Roles   []string // nil: public
	API     bool
	// Scope is the token scope that also grants access, besides the "api" scope.
	Scope string
	// PreMFA lets a signed-in person who has not passed MFA yet through (the MFA pages).
	PreMFA bool
	h      handlerFunc
}

// routes lists every route of the server. The route × role test walks this list. Features
// with many routes keep them in a file of their own (routes_*.go).
func (s *Server) routes() []route {
	rs := s.coreRoutes()
	rs = append(rs, s.examAdminRoutes()...)
	rs = append(rs, s.certAdminRoutes()...)
	rs = append(rs, s.drillRoutes()...)
	return rs
}

func (s *Server) coreRoutes() []route {
	return []route{
		// Probes and assets.
		{Pattern: "GET /healthz", Roles: public, h: s.handleHealth},
		{Pattern: "GET /readyz", Roles: public, h: s.handleReady},
		{Pattern: "GET /metrics", Roles: admins, API: true, Scope: safedesk.ScopeMetrics, h: s.handleMetrics},
		{Pattern: "GET /assets/{path...}", Roles: public, h: s.handleAsset},

		// Signing in, MFA and language.
		{Pattern: "GET /login", Roles: public, h: s.handleLoginPage},
		{Pattern: "POST /login", Roles: public, h: s.handleLoginForm},
		{Pattern: "POST /logout", Roles: everyone, PreMFA: true, h: s.handleLogout},
		{Pattern: "GET /mfa", Roles: everyone, PreMFA: true, h: s.handleMFAPage},
		{Pattern: "POST /mfa", Roles: everyone, PreMFA: true, h: s.handleMFAVerify},
		{Pattern: "GET /mfa/setup", Roles: everyone, PreMFA: true, h: s.handleMFASetupPage},
		{Pattern: "POST /mfa/setup", Roles: everyone, PreMFA: true, h: s.handleMFASetup},
		{Pattern: "GET /mfa/setup/qr.png", Roles: everyone, PreMFA: true, h: s.handleMFAQR},
		{Pattern: "POST /lang", Roles: public, h: s.handleLang},
		{Pattern: "POST /api/v1/auth/login", Roles: public, API: true, h: s.handleAPILogin},

		// Learning.
		{Pattern: "GET /{$}", Roles: everyone, h: s.handleHome},
		{Pattern: "GET /courses/{courseID}", Roles: everyone, h: s.handleCoursePage},
		{Pattern: "GET /courses/{courseID}/lessons/{lessonID}", Roles: everyone, h: s.handleLessonPage},
		{Pattern: "POST /courses/{courseID}/lessons/{lessonID}/progress", Roles: everyone, h: s.handleProgressForm},
		{Pattern: "GET /notifications", Roles: everyone, h: s.handleNotificationsPage},
		{Pattern: "POST /notifications/read", Roles: everyone, h: s.handleNotificationsRead},
		{Pattern: "GET /account", Roles: everyone, h: s.handleAccountPage},
		{Pattern: "POST /account/password", Roles: everyone, h: s.handleAccountPassword},
		{Pattern: "POST /account/tokens", Roles: everyone, h: s.handleAccountTokenCreate},
		{Pattern: "POST /account/tokens/{tokenID}/delete", Roles: everyone, h: s.handleAccountTokenDelete},

		{Pattern: "GET /api/v1/me", Roles: everyone, API: true, h: s.handleAPIMe},
		{Pattern: "GET /api/v1/courses", Roles: everyone, API: true, h: s.handleAPICourses},
		{Pattern: "GET /api/v1/courses/{courseID}/lessons/{lessonID}", Roles: everyone, API: true, h: s.handleAPILesson},
		{Pattern: "GET /api/v1/courses/{courseID}/progress", Roles: everyone, API: true, h: s.handleAPIProgress},
		{Pattern: "PUT /api/v1/courses/{courseID}/lessons/{lessonID}/progress", Roles: everyone, API: true, h: s.handleAPIProgressSave},
		{Pattern: "GET /api/v1/assignments", Roles: everyone, API: true, h: s.handleAPIMyAssignments},
		{Pattern: "GET /api/v1/notifications", Roles: everyone, API: true, h: s.handleAPINotifications},
		{Pattern: "POST /api/v1/check", Roles: everyone, API: true, Scope: safedesk.ScopeCheck, h: s.handleAPICheck},
		{Pattern: "GET /check", Roles: everyone, h: s.handleCheckPage},
		{Pattern: "POST /check", Roles: everyone, h: s.handleCheckForm},

		// Exams.
		{Pattern: "GET /exams/{examID}", Roles: everyone, h: s.handleExamPage},
		{Pattern: "POST /exams/{examID}/attempts", Roles: everyone, h: s.handleAttemptStartForm},
		{Pattern: "GET /attempts/{attemptID}", Roles: everyone, h: s.handleAttemptPage},
		{Pattern: "POST /attempts/{attemptID}", Roles: everyone, h: s.handleAttemptForm},
		{Pattern: "POST /attempts/{attemptID}/submit", Roles: everyone, h: s.handleAttemptSubmitForm},
		{Pattern: "GET /api/v1/exams", Roles: everyone, API: true, h: s.handleAPIExams},
		{Pattern: "POST /api/v1/exams/{examID}/attempts", Roles: everyone, API: true, h: s.handleAPIAttemptStart},
		{Pattern: "GET /api/v1/attempts/{attemptID}", Roles: everyone, API: true, h: s.handleAPIAttempt},
		{Pattern: "PUT /api/v1/attempts/{attemptID}/answers/{questionID}", Roles: everyone, API: true, h: s.handleAPIAnswerSave},
		{Pattern: "POST /api/v1/attempts/{attemptID}/submit", Roles: everyone, API: true, h: s.handleAPIAttemptSubmit},
		{Pattern: "GET /api/v1/exams/{examID}/questions", Roles: staff, API: true, h: s.handleAPIExamQuestions},
		{Pattern: "GET /api/v1/exams/{examID}/statistics", Roles: readers, API: true, h: s.handleAPIExamStatistics},

		// Certificates.
		{Pattern: "GET /api/v1/certificates/verify/{code}", Roles: public, API: true, h: s.handleAPIVerify},
		{Pattern: "GET /verify/{code}", Roles: public, h: s.handleVerifyPage},
		{Pattern: "GET /verify", Roles: public, h: s.handleVerifyPage},
		{Pattern: "GET /.well-known/safedesk-cert-keys.json", Roles: public, h: s.handleKeySet},
		{Pattern: "GET /api/v1/certificates", Roles: everyone, API: true, h: s.handleAPIMyCertificates},
		// One pattern for …/{code}/pdf and …/{code}/file: separate ones would overlap
		// with …/verify/{code} above and the mux refuses overlapping patterns.
		{Pattern: "GET /api/v1/certificates/{code}/{what}", Roles: everyone, API: true, h: s.handleCertificateDownload},
		{Pattern: "POST /api/v1/certificates/{code}/revoke", Roles: admins, API: true, h: s.handleCertificateRevoke},
		{Pattern: "GET /certificates/{code}", Roles: everyone, h: s.handleCertificatePage},
		{Pattern: "GET /certificates/{code}/pdf", Roles: everyone, h: s.handleCertificatePDF},

		// People and assignments.
		{Pattern: "GET /admin/users", Roles: readers, h: s.handleUsersPage},
		{Pattern: "POST /admin/users", Roles: staff, h: s.handleUserCreateForm},
		{Pattern: "GET /admin/users/{userID}", Roles: readers, h: s.handleUserPage},
		{Pattern: "POST /admin/users/{userID}", Roles: staff, h: s.handleUserUpdateForm},
		{Pattern: "GET /admin/teams", Roles: readers, h: s.handleTeamsPage},
		{Pattern: "POST /admin/teams", Roles: staff, h: s.handleTeamCreateForm},
		{Pattern: "GET /admin/import", Roles: staff, h: s.handleImportPage},
		{Pattern: "POST /admin/import", Roles: staff, h: s.handleImportForm},
		{Pattern: "GET /admin/assignments", Roles: staff, h: s.handleAssignmentsPage},
		{Pattern: "POST /admin/assignments", Roles: staff, h: s.handleAssignmentCreateForm},

		{Pattern: "GET /api/v1/users", Roles: readers, API: true, h: s.handleAPIUsers},
		{Pattern: "POST /api/v1/users", Roles: staff, API: true, h: s.handleAPIUserCreate},
		{Pattern: "PATCH /api/v1/users/{userID}", Roles: staff, API: true, h: s.handleAPIUserUpdate},
		{Pattern: "POST /api/v1/users/import", Roles: staff, API: true, h: s.handleAPIImport},
		{Pattern: "GET /api/v1/teams", Roles: readers, API: true, h: s.handleAPITeams},
		{Pattern: "POST /api/v1/teams", Roles: staff, API: true, h: s.handleAPITeamCreate},
		{Pattern: "GET /api/v1/courses/{courseID}/assignments", Roles: staff, API: true, h: s.handleAPIAssignments},
		{Pattern: "POST /api/v1/courses/{courseID}/assignments", Roles: staff, API: true, h: s.handleAPIAssignmentCreate},

		// Course packs and the audit log.
		{Pattern: "GET /admin/content", Roles: admins, h: s.handleContentPage},
		{Pattern: "POST /admin/content", Roles: admins, h: s.handleContentUpload},
		{Pattern: "POST /api/v1/content", Roles: admins, API: true, h: s.handleAPIContentInstall},
		{Pattern: "GET /admin/audit", Roles: auditors, h: s.handleAuditPage},
		{Pattern: "GET /api/v1/audit", Roles: auditors, API: true, h: s.handleAPIAudit},
	}
}

// Handler returns the server's root handler with every middleware applied.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.Pattern, s.wrap(rt))
	}
	// Unknown paths answer in the caller's format.
	mux.Handle("/", s.wrap(route{Pattern: "/", Roles: public, h: s.handleNotFound}))
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, isAPIPath(r.URL.Path), safedesk.Localized(safedesk.EFORBIDDEN, "", "cross_origin", "Cross-origin request refused."))
	}))
	return s.recoverer(s.securityHeaders(s.observe(csrf.Handler(mux))))
}

// RouteInfo describes one route: its pattern and who may call it (nil Roles: anyone).
type RouteInfo struct {
	Pattern string
	Roles   []string
	API     bool
}

// Routes lists every route with its roles, for the route × role test and the docs.
func (s *Server) Routes() []RouteInfo {
	var out []RouteInfo
	for _, rt := range s.routes() {
		out = append(out, RouteInfo{Pattern: rt.Pattern, Roles: rt.Roles, API: rt.API})
	}
	return out
}
