package http

import (
	"errors"
	"net/http"

	"safedesk"
	"safedesk/content"
)

// statusOf maps each error code to its one HTTP status.
var statusOf = map[string]int{
	safedesk.EINVALID:      http.StatusBadRequest,
	safedesk.EUNAUTHORIZED: http.StatusUnauthorized,
	safedesk.EFORBIDDEN:    http.StatusForbidden,
	safedesk.ENOTFOUND:     http.StatusNotFound,
	safedesk.ECONFLICT:     http.StatusConflict,
	safedesk.ERATELIMIT:    http.StatusTooManyRequests,
	safedesk.EINTERNAL:     http.StatusInternalServerError,
}

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code     string              `json:"code"`
	Message  string              `json:"message"`
	Field    string              `json:"field,omitempty"`
	Rows     []safedesk.RowError `json:"rows,omitempty"`
	Problems []content.Problem   `json:"problems,omitempty"`
}

// classify turns any error into the detail a person may see. Errors without a code are
// internal: they are logged here, once, and the person sees a generic message.
func (s *Server) classify(r *http.Request, err error) errorDetail {
	var ie *safedesk.ImportError
	if errors.As(err, &ie) {
		return errorDetail{Code: safedesk.EINVALID, Message: ie.Error(), Rows: ie.Rows}
	}
	var ce *content.Error
	if errors.As(err, &ce) {
		return errorDetail{Code: safedesk.EINVALID, Message: "The course pack has problems; nothing was installed.", Problems: ce.Problems}
	}
	d := errorDetail{Code: safedesk.ErrorCode(err), Message: safedesk.ErrorMessage(err)}
	var e *safedesk.Error
	if errors.As(err, &e) {
		d.Field = e.Field
		if e.Key != "" {
			if hasMessage("err." + e.Key) {
				d.Message = tr(s.lang(r), "err."+e.Key, e.Args...)
			}
		}
	}
	if d.Code == safedesk.EINTERNAL {
		s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return d
}

// writeError answers an error as JSON for the API or as a page for the UI.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, api bool, err error) {
	d := s.classify(r, err)
	status := statusOf[d.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if api || isAPIPath(r.URL.Path) || s.tmpl == nil {
		writeJSON(w, status, errorBody{Error: d})
		return
	}
	lang := s.lang(r)
	msg := d.Message
	if d.Code == safedesk.EINTERNAL {
		msg = tr(lang, "error.internal")
	}
	s.renderStatus(w, r, status, "error.html", map[string]any{"Status": status, "Code": d.Code, "Message": msg, "Detail": d})
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) error {
	return safedesk.Localized(safedesk.ENOTFOUND, "", "page_not_found", "Page not found.")
}
