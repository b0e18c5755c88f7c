package http

import (
	"io"
	"net/http"
	"strconv"

	"safedesk"
	"safedesk/staffcsv"
)

func (s *Server) handleAPIUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := safedesk.UserFilter{Query: q.Get("q")}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	if t := q.Get("team_id"); t != "" {
		f.TeamID = &t
	}
	if role := q.Get("role"); role != "" {
		f.Role = &role
	}
	users, total, err := s.Users.FindUsers(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]apiUser, 0, len(users))
	for _, u := range users {
		out = append(out, toAPIUser(u))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out, "total": total})
	return nil
}

type userCreateRequest struct {
	Name       string `json:"name"`
	Email      string `json:"email"`
	Role       string `json:"role"`
	TeamID     string `json:"team_id"`
	EmployeeNo string `json:"employee_no"`
	Password   string `json:"password"`
}

func (s *Server) handleAPIUserCreate(w http.ResponseWriter, r *http.Request) error {
	var req userCreateRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	u := &safedesk.User{Name: req.Name, Email: req.Email, Role: req.Role, TeamID: req.TeamID, EmployeeNo: req.EmployeeNo}
	if err := s.createUser(r, u, req.Password); err != nil {
		return err
	}
	u, err := s.Users.FindUserByID(r.Context(), u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIUser(u))
	return nil
}

type userUpdateRequest struct {
	Name       *string `json:"name"`
	EmployeeNo *string `json:"employee_no"`
	TeamID     *string `json:"team_id"`
	Role       *string `json:"role"`
	Active     *bool   `json:"active"`
}

func (s *Server) handleAPIUserUpdate(w http.ResponseWriter, r *http.Request) error {
	var req userUpdateRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	u, err := s.updateUser(r, r.PathValue("userID"), safedesk.UserUpdate{Name: req.Name, EmployeeNo: req.EmployeeNo,
		TeamID: req.TeamID, Role: req.Role, Active: req.Active})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIUser(u))
	return nil
}

// handleAPIImport takes the CSV file as the request body (Content-Type text/csv).
func (s *Server) handleAPIImport(w http.ResponseWriter, r *http.Request) error {
	body, err := readAllLimit(r.Body, staffcsv.MaxBytes)
	if err != nil {
		return err
	}
	res, err := s.importCSV(r, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) handleAPITeams(w http.ResponseWriter, r *http.Request) error {
	teams, err := s.Users.FindTeams(r.Context())
	if err != nil {
		return err
	}
	if teams == nil {
		teams = []*safedesk.Team{}
	}
	writeJSON(w, http.StatusOK, teams)
	return nil
}

func (s *Server) handleAPITeamCreate(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	t, err := s.Users.CreateTeam(r.Context(), req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, t)
	return nil
}

// readAllLimit reads at most limit bytes and refuses more.
func readAllLimit(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, safedesk.Errorf(safedesk.EINVALID, "The upload could not be read.")
	}
	if int64(len(b)) > limit {
		return nil, safedesk.Errorf(safedesk.EINVALID, "The upload is larger than %d MiB.", limit>>20)
	}
	return b, nil
}
