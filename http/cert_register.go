package http

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"safedesk"
)

// registerPage is how many entries the register page shows at once.
const registerPage = 100

// registerFilter reads the register's filter from a query: team, course, status, all=1 to
// include superseded certificates, and offset and limit for paging (limit up to
// maxLimit; 0 leaves the filter unpaged).
func registerFilter(q url.Values, defLimit, maxLimit int) (safedesk.CertificateFilter, error) {
	f := safedesk.CertificateFilter{TeamID: q.Get("team"), CourseID: q.Get("course"), Status: q.Get("status"),
		Current: q.Get("all") != "1", Limit: defLimit}
	var err error
	if v := q.Get("offset"); v != "" {
		if f.Offset, err = strconv.Atoi(v); err != nil {
			return f, safedesk.FieldError("offset", "Offset is a whole number.")
		}
	}
	if v := q.Get("limit"); v != "" && maxLimit > 0 {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > maxLimit {
			return f, safedesk.FieldError("limit", "Limit is a whole number from 1 to %d.", maxLimit)
		}
	}
	return f, f.Validate()
}

// registerQuery is the query string of a filter, without paging.
func registerQuery(f safedesk.CertificateFilter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"team": f.TeamID, "course": f.CourseID, "status": f.Status} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if !f.Current {
		q.Set("all", "1")
	}
	return q
}

// registerRow is one register entry as a reader sees it: the course title in their
// language, the e-mail masked for auditors, the status now and a recertification reason
// put into words.
type registerRow struct {
	Code            string    `json:"code"`
	Holder          string    `json:"holder"`
	Email           string    `json:"email"`
	EmployeeNo      string    `json:"employee_no"`
	TeamID          string    `json:"team_id,omitempty"`
	Team            string    `json:"team"`
	CourseID        string    `json:"course_id"`
	Course          string    `json:"course"`
	CourseVersion   string    `json:"course_version"`
	ExamID          string    `json:"-"`
	IssuedAt        time.Time `json:"issued_at"`
	ExpiresAt       time.Time `json:"expires_at"`
	Status          string    `json:"status"`
	RecertifyBy     time.Time `json:"recertify_by,omitzero"`
	RecertifyReason string    `json:"recertify_reason,omitempty"`
	RevokedAt       time.Time `json:"revoked_at,omitzero"`
	RevokeReason    string    `json:"revoke_reason,omitempty"`
}

// registerRows turns entries into rows for the caller. Only admins and trainers see whole
// e-mail addresses: auditors check that people are certified, not whom to write to.
func (s *Server) registerRows(r *http.Request, entries []*safedesk.RegisterEntry) []registerRow {
	lang, now := s.lang(r), s.Clock.Now()
	masked := currentUser(r).Role == safedesk.RoleAuditor
	rows := make([]registerRow, 0, len(entries))
	for _, e := range entries {
		row := registerRow{Code: e.Code, Holder: e.Holder, Email: e.Email, EmployeeNo: e.EmployeeNo, TeamID: e.TeamID, Team: e.Team,
			CourseID: e.CourseID, Course: e.CourseTitle.In(lang), CourseVersion: e.CourseVersion, ExamID: e.ExamID,
			IssuedAt: e.IssuedAt, ExpiresAt: e.ExpiresAt, Status: e.RegisterStatusAt(now),
			RevokedAt: e.RevokedAt, RevokeReason: e.RevokeReason}
		if masked {
			row.Email = maskEmail(e.Email)
		}
		if e.RecertifyPending(now) {
			row.RecertifyBy, row.RecertifyReason = e.RecertifyBy, recertifyReason(lang, e.RecertifyReason)
		}
		rows = append(rows, row)
	}
	return rows
}

// recertifyReason puts a recorded recertification reason into the reader's language when
// the system recorded it, and shows a person's reason as they wrote it.
func recertifyReason(lang, reason string) string {
	if v, ok := safedesk.ParseMajorVersionReason(reason); ok {
		return tr(lang, "cert.reason_major", v)
	}
	return reason
}

// statusCount is one status of the register with its count and the link that selects it.
type statusCount struct {
	Status string
	Count  int
	URL    string
	Active bool
}

func (s *Server) handleRegisterPage(w http.ResponseWriter, r *http.Request) error {
	f, err := registerFilter(r.URL.Query(), registerPage, 0)
	if err != nil {
		return err
	}
	entries, total, counts, err := s.Certificates.FindCertificates(r.Context(), f)
	if err != nil {
		return err
	}
	teams, err := s.Users.FindTeams(r.Context())
	if err != nil {
		return err
	}
	courses, err := s.courseChoices(r, f.CourseID)
	if err != nil {
		return err
	}
	link := func(path string, q url.Values) string {
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	base := registerQuery(f)
	statuses := []statusCount{}
	for _, st := range []struct {
		status string
		n      int
	}{{"", counts.Total()}, {safedesk.CertValid, counts.Valid}, {safedesk.CertExpiring, counts.Expiring},
		{safedesk.CertExpired, counts.Expired}, {safedesk.CertRevoked, counts.Revoked}, {safedesk.CertRecertify, counts.Recertify}} {
		q := registerQuery(f)
		q.Del("status")
		if st.status != "" {
			q.Set("status", st.status)
		}
		statuses = append(statuses, statusCount{Status: st.status, Count: st.n, URL: link("/admin/certificates", q), Active: st.status == f.Status})
	}
	page := func(offset int) string {
		q := registerQuery(f)
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		return link("/admin/certificates", q)
	}
	scope := registerQuery(f)
	if f.Current {
		scope.Set("all", "1")
	} else {
		scope.Del("all")
	}
	next, prev := "", ""
	if f.Offset+len(entries) < total {
		next = page(f.Offset + len(entries))
	}
	if f.Offset > 0 {
		prev = page(max(f.Offset-registerPage, 0))
	}
	return s.render(w, r, "cert_register.html", map[string]any{
		"Filter": f, "Teams": teams, "Courses": courses, "Statuses": statuses, "Rows": s.registerRows(r, entries),
		"Total": total, "Next": next, "Prev": prev, "Masked": currentUser(r).Role == safedesk.RoleAuditor,
		"CSV": link("/api/v1/certificates/register/csv", base), "XLSX": link("/api/v1/certificates/register/xlsx", base),
		"AllStatuses": safedesk.CertificateStatuses, "ScopeURL": link("/admin/certificates", scope),
	})
}

// courseChoice is a course in the register's filter.
type courseChoice struct{ ID, Title string }

// courseChoices lists the live courses for the filter, and the selected one even when it
// is no longer live: its certificates are still in the register.
func (s *Server) courseChoices(r *http.Request, selected string) ([]courseChoice, error) {
	live, err := s.Catalog.Live(r.Context())
	if err != nil {
		return nil, err
	}
	lang := s.lang(r)
	out := []courseChoice{}
	found := selected == ""
	for _, p := range live {
		out = append(out, courseChoice{ID: p.Pack.ID, Title: p.Pack.Title.In(lang)})
		found = found || p.Pack.ID == selected
	}
	if !found {
		out = append(out, courseChoice{ID: selected, Title: selected})
	}
	return out, nil
}

// handleAPIRegister answers GET /api/v1/certificates/register: one page of entries (limit
// 1 to 1000, 100 by default), the total and the counts per status.
func (s *Server) handleAPIRegister(w http.ResponseWriter, r *http.Request) error {
	f, err := registerFilter(r.URL.Query(), registerPage, 1000)
	if err != nil {
		return err
	}
	entries, total, counts, err := s.Certificates.FindCertificates(r.Context(), f)
	if err != nil {
		return err
	}
	type apiCounts struct {
		safedesk.CertificateCounts
		Total int `json:"total"`
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "offset": f.Offset, "limit": f.Limit,
		"counts": apiCounts{counts, counts.Total()}, "entries": s.registerRows(r, entries)})
	return nil
}
