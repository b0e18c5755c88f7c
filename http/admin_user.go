package http

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"safedesk"
	"safedesk/staffcsv"
)

// maxUpload bounds a file posted from a form (a staff CSV or a zipped course pack).
const maxUpload = 32 << 20

// mayManage enforces least privilege between staff: a trainer manages trainees only, and
// only an admin may grant or change a privileged role. A refused role names the role
// field, so a form can show the message beside it.
func mayManage(actor *safedesk.User, target *safedesk.User, newRole string) error {
	if actor.Role == safedesk.RoleAdmin {
		if target != nil && target.ID == actor.ID && newRole != "" && newRole != safedesk.RoleAdmin {
			return safedesk.Localized(safedesk.EFORBIDDEN, "role", "own_admin_role", "You cannot remove your own admin role; ask another admin.")
		}
		return nil
	}
	// The catalogue's wording leaves the role out, as an English role name would read
	// wrong in Chinese; the English message keeps it for the API and the import report.
	if target != nil && target.Role != safedesk.RoleTrainee {
		return &safedesk.Error{Code: safedesk.EFORBIDDEN, Key: "manage_staff", Message: fmt.Sprintf("Only an admin may change a %s.", target.Role)}
	}
	if newRole != "" && newRole != safedesk.RoleTrainee {
		return &safedesk.Error{Code: safedesk.EFORBIDDEN, Field: "role", Key: "grant_role", Message: fmt.Sprintf("Only an admin may grant the %s role.", newRole)}
	}
	return nil
}

// grantable returns the roles actor may give someone, for the forms' role choices (a
// trainer sees trainee only, rather than choices the server would then refuse). A person's
// current role, and a role just refused, stay among the choices of the form, so that it
// shows the person as they are and the refusal beside what was asked for.
func grantable(actor *safedesk.User, keep ...string) []string {
	var out []string
	for _, role := range safedesk.Roles {
		if slices.Contains(keep, role) || mayManage(actor, nil, role) == nil {
			out = append(out, role)
		}
	}
	return out
}

// checkTeam refuses a team that does not exist, which the database would otherwise
// refuse as a broken reference. An empty id means no team.
func (s *Server) checkTeam(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	teams, err := s.Users.FindTeams(ctx)
	if err != nil {
		return err
	}
	for _, t := range teams {
		if t.ID == id {
			return nil
		}
	}
	return safedesk.Localized(safedesk.EINVALID, "team", "team_unknown", "There is no such team; choose one from the list.")
}

// userForm is a people or team form. After a refused save V holds the values as typed
// (never a password), Error the message in the reader's language and Field the input at
// fault.
type userForm struct {
	V            map[string]string
	Error, Field string
	// inputs are the form's fields; a message about anything else shows above the form.
	inputs []string
}

// typed returns the value typed into an input; none when there is no form.
func (f *userForm) typed(field string) string {
	if f == nil {
		return ""
	}
	return f.V[field]
}

// At returns the message when it is about the input named field.
func (f *userForm) At(field string) string {
	if f.Field == field && slices.Contains(f.inputs, field) {
		return f.Error
	}
	return ""
}

// Unplaced returns the message when no input of the form is at fault.
func (f *userForm) Unplaced() string {
	if f.Field != "" && slices.Contains(f.inputs, f.Field) {
		return ""
	}
	return f.Error
}

// The inputs of each form.
var (
	userCreateInputs = []string{"name", "email", "team", "role", "employee_no", "password"}
	userUpdateInputs = []string{"name", "employee_no", "team", "role", "active"}
	teamCreateInputs = []string{"name"}
)

// refusedForm turns a refused save into the form to show again and the status to answer
// with. It returns nil when the form cannot help, because the error is not about what was
// typed (a person who is gone, an action the role may not take at all, a failure of ours),
// and the error page answers instead.
func (s *Server) refusedForm(r *http.Request, err error, v map[string]string, inputs []string) (*userForm, int) {
	var e *safedesk.Error
	if !errors.As(err, &e) {
		return nil, 0
	}
	switch {
	case e.Code == safedesk.EINVALID, e.Code == safedesk.ECONFLICT:
	case e.Code == safedesk.EFORBIDDEN && e.Field != "":
	default:
		return nil, 0
	}
	d := s.classify(r, err)
	return &userForm{V: v, Error: d.Message, Field: d.Field, inputs: inputs}, statusOf[d.Code]
}

func (s *Server) handleUsersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, &userForm{V: map[string]string{"role": safedesk.RoleTrainee}, inputs: userCreateInputs})
}

// renderUsers shows the list of people, filtered by the query, with the form to add one.
func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, form *userForm) error {
	q := r.URL.Query()
	f := safedesk.UserFilter{Query: q.Get("q"), Limit: 50}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	if t := q.Get("team"); t != "" {
		f.TeamID = &t
	}
	if role := q.Get("role"); safedesk.IsRole(role) {
		f.Role = &role
	}
	users, total, err := s.Users.FindUsers(r.Context(), f)
	if err != nil {
		return err
	}
	teams, err := s.Users.FindTeams(r.Context())
	if err != nil {
		return err
	}
	next := 0
	if f.Offset+len(users) < total {
		next = f.Offset + len(users)
	}
	s.renderStatus(w, r, status, "users.html", map[string]any{"Users": users, "Total": total, "Teams": teams, "Roles": safedesk.Roles,
		"Grantable": grantable(currentUser(r), form.typed("role")), "Q": f.Query, "Team": q.Get("team"), "Role": q.Get("role"), "Next": next, "Offset": f.Offset, "Form": form})
	return nil
}

// createUser creates a user with a password set by the person creating it.
func (s *Server) createUser(r *http.Request, u *safedesk.User, password string) error {
	if err := mayManage(currentUser(r), nil, u.Role); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := safedesk.ValidatePassword(password); err != nil {
		return err
	}
	if err := s.checkTeam(r.Context(), u.TeamID); err != nil {
		return err
	}
	// Refuse a taken e-mail before spending a password hash on it.
	if _, err := s.Users.FindUserByEmail(r.Context(), u.Email); err == nil {
		return safedesk.Localized(safedesk.ECONFLICT, "email", "email_taken", "A user with the e-mail %s already exists.", u.Email)
	}
	hash, err := s.hashPassword(r.Context(), password)
	if err != nil {
		return err
	}
	u.PasswordHash, u.Active = hash, true
	return s.Users.CreateUser(r.Context(), u)
}

func (s *Server) handleUserCreateForm(w http.ResponseWriter, r *http.Request) error {
	v := map[string]string{}
	for _, k := range userCreateInputs {
		if k != "password" {
			v[k] = r.PostFormValue(k)
		}
	}
	u := &safedesk.User{Name: v["name"], Email: v["email"], Role: v["role"], TeamID: v["team"], EmployeeNo: v["employee_no"]}
	if err := s.createUser(r, u, r.PostFormValue("password")); err != nil {
		f, status := s.refusedForm(r, err, v, userCreateInputs)
		if f == nil {
			return err
		}
		return s.renderUsers(w, r, status, f)
	}
	return redirect(w, r, "/admin/users/"+u.ID, "user_created")
}

func (s *Server) handleUserPage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.Users.FindUserByID(r.Context(), r.PathValue("userID"))
	if err != nil {
		return err
	}
	v := map[string]string{"name": u.Name, "employee_no": u.EmployeeNo, "team": u.TeamID, "role": u.Role}
	if u.Active {
		v["active"] = "on"
	}
	return s.renderUser(w, r, http.StatusOK, u, &userForm{V: v, inputs: userUpdateInputs})
}

// renderUser shows a person as stored, with the edit form holding form's values.
func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, u *safedesk.User, form *userForm) error {
	teams, err := s.Users.FindTeams(r.Context())
	if err != nil {
		return err
	}
	s.renderStatus(w, r, status, "user.html", map[string]any{"Subject": u, "Teams": teams, "Roles": grantable(currentUser(r), u.Role, form.typed("role")), "Form": form})
	return nil
}

// updateUser applies an update after the least-privilege check.
func (s *Server) updateUser(r *http.Request, id string, upd safedesk.UserUpdate) (*safedesk.User, error) {
	target, err := s.Users.FindUserByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	newRole := ""
	if upd.Role != nil {
		newRole = *upd.Role
	}
	if err := mayManage(currentUser(r), target, newRole); err != nil {
		return nil, err
	}
	if upd.Active != nil && !*upd.Active && target.ID == currentUser(r).ID {
		return nil, safedesk.Localized(safedesk.EFORBIDDEN, "active", "deactivate_self", "You cannot deactivate yourself.")
	}
	if upd.TeamID != nil && *upd.TeamID != target.TeamID {
		if err := s.checkTeam(r.Context(), *upd.TeamID); err != nil {
			return nil, err
		}
	}
	u, err := s.Users.UpdateUser(r.Context(), id, upd)
	if err == nil {
		s.tokens.forget(id)
	}
	return u, err
}

func (s *Server) handleUserUpdateForm(w http.ResponseWriter, r *http.Request) error {
	v := map[string]string{}
	for _, k := range userUpdateInputs {
		v[k] = r.PostFormValue(k)
	}
	name, emp, team, role := v["name"], v["employee_no"], v["team"], v["role"]
	active := v["active"] == "on"
	id := r.PathValue("userID")
	if _, err := s.updateUser(r, id, safedesk.UserUpdate{Name: &name, EmployeeNo: &emp, TeamID: &team, Role: &role, Active: &active}); err != nil {
		f, status := s.refusedForm(r, err, v, userUpdateInputs)
		if f == nil {
			return err
		}
		u, ferr := s.Users.FindUserByID(r.Context(), id)
		if ferr != nil {
			return ferr
		}
		return s.renderUser(w, r, status, u, f)
	}
	return redirect(w, r, "/admin/users/"+id, "saved")
}

func (s *Server) handleTeamsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTeams(w, r, http.StatusOK, &userForm{V: map[string]string{}, inputs: teamCreateInputs})
}

// renderTeams shows the teams with the form to add one.
func (s *Server) renderTeams(w http.ResponseWriter, r *http.Request, status int, form *userForm) error {
	teams, err := s.Users.FindTeams(r.Context())
	if err != nil {
		return err
	}
	s.renderStatus(w, r, status, "teams.html", map[string]any{"Teams": teams, "Form": form})
	return nil
}

func (s *Server) handleTeamCreateForm(w http.ResponseWriter, r *http.Request) error {
	v := map[string]string{"name": r.PostFormValue("name")}
	if _, err := s.Users.CreateTeam(r.Context(), v["name"]); err != nil {
		f, status := s.refusedForm(r, err, v, teamCreateInputs)
		if f == nil {
			return err
		}
		return s.renderTeams(w, r, status, f)
	}
	return redirect(w, r, "/admin/teams", "team_created")
}

func (s *Server) handleImportPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "import.html", nil)
}

// importCSV parses and imports a staff file, all or nothing. Every bad row is reported in
// one pass: rows the parser refuses, teams that do not exist, and roles the importer may not
// grant. Imported people have no password yet; an admin sets one.
func (s *Server) importCSV(r *http.Request, body []byte) (safedesk.ImportResult, error) {
	rows, bad, err := staffcsv.Parse(bytes.NewReader(body))
	if err != nil {
		if errors.Is(err, staffcsv.ErrFile) {
			return safedesk.ImportResult{}, safedesk.Errorf(safedesk.EINVALID, "%s", strings.TrimPrefix(err.Error(), "staff file: "))
		}
		return safedesk.ImportResult{}, err
	}
	teams, err := s.Users.FindTeams(r.Context())
	if err != nil {
		return safedesk.ImportResult{}, err
	}
	known := map[string]bool{}
	for _, t := range teams {
		known[t.Name] = true
	}
	for _, row := range rows {
		if row.Team != "" && !known[row.Team] {
			bad = append(bad, safedesk.RowError{Line: row.Line, Field: "team", Message: fmt.Sprintf("No team named %q. Create the team first, or correct the name.", row.Team)})
		}
		if err := mayManage(currentUser(r), nil, row.Role); err != nil {
			bad = append(bad, safedesk.RowError{Line: row.Line, Field: "role", Message: safedesk.ErrorMessage(err)})
		}
	}
	if len(bad) > 0 {
		sort.SliceStable(bad, func(i, j int) bool { return bad[i].Line < bad[j].Line })
		return safedesk.ImportResult{}, &safedesk.ImportError{Rows: bad}
	}
	return s.Users.ImportUsers(r.Context(), rows)
}

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		return safedesk.FieldError("file", "Choose a CSV file of at most %d MiB.", maxUpload>>20)
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return safedesk.FieldError("file", "Choose a CSV file.")
	}
	defer f.Close()
	body, err := readAllLimit(f, staffcsv.MaxBytes)
	if err != nil {
		return err
	}
	res, err := s.importCSV(r, body)
	var ie *safedesk.ImportError
	if errors.As(err, &ie) || safedesk.ErrorCode(err) == safedesk.EINVALID {
		s.renderStatus(w, r, http.StatusBadRequest, "import.html", map[string]any{"Rows": rowsOf(ie), "Error": safedesk.ErrorMessage(err)})
		return nil
	}
	if err != nil {
		return err
	}
	return s.render(w, r, "import.html", map[string]any{"Result": res})
}

func rowsOf(ie *safedesk.ImportError) []safedesk.RowError {
	if ie == nil {
		return nil
	}
	return ie.Rows
}
