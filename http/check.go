package http

import (
	"net/http"
	"unicode/utf8"

	"safedesk"
)

// checkRequest is the body of POST /api/v1/check.
type checkRequest struct {
	Role string `json:"role"`
	Text string `json:"text"`
}

// MaxCheckText bounds one live check; a chat message is far shorter.
const MaxCheckText = 20000

func (s *Server) handleAPICheck(w http.ResponseWriter, r *http.Request) error {
	if ok, wait := s.limits.check.allow(currentUser(r).ID); !ok {
		return rateLimited(wait)
	}
	var req checkRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	switch req.Role {
	case "":
		req.Role = "customer"
	case "customer", "agent":
	default:
		return safedesk.FieldError("role", "role is agent or customer.")
	}
	if !utf8.ValidString(req.Text) {
		return safedesk.FieldError("text", "text is not valid UTF-8.")
	}
	if len(req.Text) > MaxCheckText {
		return safedesk.FieldError("text", "text is longer than %d bytes.", MaxCheckText)
	}
	if s.Checker == nil {
		return safedesk.Errorf(safedesk.EINTERNAL, "The risk engine is not available.")
	}
	res, err := s.Checker.CheckJSON(req.Role, req.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
