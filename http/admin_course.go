package http

import (
	"net/http"
	"time"

	"safedesk"
	"safedesk/content"
)

func (s *Server) handleAssignmentsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	live, err := s.Catalog.Live(ctx)
	if err != nil {
		return err
	}
	type courseAssignments struct {
		Pack        *content.LivePack
		Assignments []*safedesk.Assignment
	}
	var list []courseAssignments
	for _, p := range live {
		as, err := s.Courses.FindAssignments(ctx, p.Pack.ID)
		if err != nil {
			return err
		}
		list = append(list, courseAssignments{Pack: p, Assignments: as})
	}
	teams, err := s.Users.FindTeams(ctx)
	if err != nil {
		return err
	}
	trainee := safedesk.RoleTrainee
	active := true
	people, _, err := s.Users.FindUsers(ctx, safedesk.UserFilter{Role: &trainee, Active: &active, Limit: 1000})
	if err != nil {
		return err
	}
	return s.render(w, r, "assignments.html", map[string]any{"Courses": list, "Teams": teams, "People": people,
		"DefaultDue": s.Clock.Now().AddDate(0, 0, 14).Format("2006-01-02")})
}

// assign checks the course and stores an assignment.
func (s *Server) assign(r *http.Request, courseID, teamID, userID, due string) (*safedesk.Assignment, error) {
	if _, err := s.Catalog.Course(r.Context(), courseID); err != nil {
		return nil, err
	}
	dueAt, err := parseDue(due)
	if err != nil {
		return nil, err
	}
	if !dueAt.After(s.Clock.Now()) {
		return nil, safedesk.Localized(safedesk.EINVALID, "due_at", "due_past", "The due date must be in the future.")
	}
	a := &safedesk.Assignment{CourseID: courseID, TeamID: teamID, UserID: userID, DueAt: dueAt, CreatedBy: currentUser(r).ID}
	return a, s.Courses.CreateAssignment(r.Context(), a)
}

// parseDue accepts a date (the end of that day, UTC) or an RFC 3339 time.
func parseDue(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Add(24*time.Hour - time.Second).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, safedesk.Localized(safedesk.EINVALID, "due_at", "due_format", "Give the due date as YYYY-MM-DD.")
}

func (s *Server) handleAssignmentCreateForm(w http.ResponseWriter, r *http.Request) error {
	teamID, userID := "", ""
	switch target := r.PostFormValue("target"); {
	case len(target) > 5 && target[:5] == "team:":
		teamID = target[5:]
	case len(target) > 5 && target[:5] == "user:":
		userID = target[5:]
	default:
		return safedesk.FieldError("target", "Choose a team or a person.")
	}
	if _, err := s.assign(r, r.PostFormValue("course"), teamID, userID, r.PostFormValue("due")); err != nil {
		return err
	}
	return redirect(w, r, "/admin/assignments", "assigned")
}

func (s *Server) handleAPIAssignments(w http.ResponseWriter, r *http.Request) error {
	as, err := s.Courses.FindAssignments(r.Context(), r.PathValue("courseID"))
	if err != nil {
		return err
	}
	if as == nil {
		as = []*safedesk.Assignment{}
	}
	writeJSON(w, http.StatusOK, as)
	return nil
}

func (s *Server) handleAPIAssignmentCreate(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		TeamID string `json:"team_id"`
		UserID string `json:"user_id"`
		DueAt  string `json:"due_at"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	a, err := s.assign(r, r.PathValue("courseID"), req.TeamID, req.UserID, req.DueAt)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) handleContentPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderContent(w, r, http.StatusOK, nil)
}

func (s *Server) renderContent(w http.ResponseWriter, r *http.Request, status int, extra map[string]any) error {
	live, err := s.Catalog.Live(r.Context())
	if err != nil {
		return err
	}
	type courseVersions struct {
		Pack     *content.LivePack
		Versions []*safedesk.CourseVersion
	}
	var list []courseVersions
	for _, p := range live {
		vs, err := s.Courses.FindVersions(r.Context(), p.Pack.ID)
		if err != nil {
			return err
		}
		list = append(list, courseVersions{Pack: p, Versions: vs})
	}
	data := map[string]any{"Courses": list}
	for k, v := range extra {
		data[k] = v
	}
	s.renderStatus(w, r, status, "content.html", data)
	return nil
}

// handleContentUpload installs a zipped pack. A pack with problems is refused whole and
// every problem is listed; the live version does not change.
func (s *Server) handleContentUpload(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		return safedesk.FieldError("file", "Choose a zip file of at most %d MiB.", maxUpload>>20)
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return safedesk.FieldError("file", "Choose a zip file.")
	}
	defer f.Close()
	b, err := readAllLimit(f, maxUpload)
	if err != nil {
		return err
	}
	v, err := s.installZip(r, b)
	if err != nil {
		d := s.classify(r, err)
		if d.Code == safedesk.EINTERNAL {
			return err
		}
		return s.renderContent(w, r, statusOf[d.Code], map[string]any{"Error": d.Message, "Problems": d.Problems})
	}
	return s.renderContent(w, r, http.StatusOK, map[string]any{"Installed": v})
}

func (s *Server) installZip(r *http.Request, b []byte) (*safedesk.CourseVersion, error) {
	files, err := content.ReadZip(b)
	if err != nil {
		return nil, err
	}
	v, _, err := s.Catalog.Install(r.Context(), files, currentUser(r).Email)
	return v, err
}

// handleAPIContentInstall takes a zipped pack as the request body.
func (s *Server) handleAPIContentInstall(w http.ResponseWriter, r *http.Request) error {
	b, err := readAllLimit(r.Body, maxUpload)
	if err != nil {
		return err
	}
	v, err := s.installZip(r, b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func (s *Server) handleAuditPage(w http.ResponseWriter, r *http.Request) error {
	entries, total, err := s.Audit.FindAudit(r.Context(), safedesk.AuditFilter{Action: r.URL.Query().Get("action"), Limit: 100})
	if err != nil {
		return err
	}
	broken, reason, checked, err := s.Audit.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, "audit.html", map[string]any{"Entries": entries, "Total": total, "Broken": broken, "Reason": reason, "Checked": checked})
}

func (s *Server) handleAPIAudit(w http.ResponseWriter, r *http.Request) error {
	entries, total, err := s.Audit.FindAudit(r.Context(), safedesk.AuditFilter{Action: r.URL.Query().Get("action"), Limit: 200})
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []*safedesk.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries, "total": total})
	return nil
}
