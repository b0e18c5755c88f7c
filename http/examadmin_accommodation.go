package http

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"safedesk"
	"safedesk/exam"
)

// accSection is the accommodations part of an exam's page.
type accSection struct {
	Rows []accRow
	// V holds the add form's values after a refused save; Error and Field say why.
	V            map[string]string
	Error, Field string
	Max          float64
	Presets      []string
}

// accRow is one person's accommodation with the time it gives them.
type accRow struct {
	*safedesk.Accommodation
	Name, Email string
	Times       string // ×1.5
	Minutes     int    // the time limit it gives
}

// accommodationPresets are the multipliers most often granted, offered in the form.
var accommodationPresets = []string{"1.25", "1.5", "1.75", "2"}

func (s *Server) fillAccommodations(ctx context.Context, e *safedesk.Exam, sec *accSection) error {
	list, err := s.Exams.FindAccommodations(ctx, e.ID)
	if err != nil {
		return err
	}
	sec.Max, sec.Presets, sec.Rows = exam.MaxAccommodation, accommodationPresets, nil
	limit := int(e.TimeLimit / time.Minute)
	for _, a := range list {
		row := accRow{Accommodation: a, Name: a.UserID, Times: multiplierText(a.Multiplier)}
		if u, err := s.Users.FindUserByID(ctx, a.UserID); err == nil {
			row.Name, row.Email = u.Name, u.Email
		} else if safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			return err
		}
		start := time.Unix(0, 0)
		row.Minutes = int(exam.Deadline(start, limit, a.Multiplier).Sub(start) / time.Minute)
		sec.Rows = append(sec.Rows, row)
	}
	return nil
}

// checkMultiplier rounds a multiplier to hundredths and checks it is from 1 to
// exam.MaxAccommodation.
func checkMultiplier(m float64) (float64, error) {
	m = math.Round(m*100) / 100
	if math.IsNaN(m) || m < 1 || m > exam.MaxAccommodation {
		return 0, safedesk.Localized(safedesk.EINVALID, "multiplier", "accommodation_range",
			"The time multiplier is a number from 1 to %d, such as 1.25 or 1.5.", int(exam.MaxAccommodation))
	}
	return m, nil
}

// setAccommodation checks and stores an accommodation set by the caller.
func (s *Server) setAccommodation(r *http.Request, examID, userID string, m float64, note string) (*safedesk.Accommodation, error) {
	m, err := checkMultiplier(m)
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > safedesk.MaxAccommodationNote {
		return nil, safedesk.Localized(safedesk.EINVALID, "note", "accommodation_note", "The note is longer than %d characters.", safedesk.MaxAccommodationNote)
	}
	a := &safedesk.Accommodation{ExamID: examID, UserID: userID, Multiplier: m, Note: note, SetBy: currentUser(r).Email}
	if err := s.Exams.SetAccommodation(r.Context(), a); err != nil {
		return nil, err
	}
	return a, nil
}

// handleAccommodationForm grants (or, with multiplier 1, removes) a person's extra time.
func (s *Server) handleAccommodationForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.Exams.FindExamByID(ctx, r.PathValue("examID"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return safedesk.Errorf(safedesk.EINVALID, "The form could not be read.")
	}
	sec := &accSection{V: map[string]string{"email": strings.TrimSpace(r.PostFormValue("email")),
		"multiplier": strings.TrimSpace(r.PostFormValue("multiplier")), "note": r.PostFormValue("note")}}
	err = func() error {
		userID := r.PostFormValue("user_id")
		if userID == "" {
			u, err := s.Users.FindUserByEmail(ctx, safedesk.NormalizeEmail(sec.V["email"]))
			if safedesk.ErrorCode(err) == safedesk.ENOTFOUND {
				return safedesk.Localized(safedesk.EINVALID, "email", "accommodation_person", "Nobody signs in with %q.", sec.V["email"])
			}
			if err != nil {
				return err
			}
			userID = u.ID
		}
		m, err := strconv.ParseFloat(strings.Replace(sec.V["multiplier"], "×", "", 1), 64)
		if err != nil {
			m = math.NaN()
		}
		_, err = s.setAccommodation(r, e.ID, userID, m, sec.V["note"])
		return err
	}()
	if err != nil {
		d := s.classify(r, err)
		if d.Code != safedesk.EINVALID {
			return err
		}
		sec.Error, sec.Field = d.Message, d.Field
		f := newExamForm()
		f.Exam, f.Acc = e, sec
		f.fill(e)
		if !e.FromPack() {
			f.padRows(blankRows)
		}
		return s.renderExamForm(w, r, http.StatusBadRequest, f)
	}
	return redirect(w, r, "/admin/exams/"+url.PathEscape(e.ID)+"#accommodations", "accommodation_saved")
}

// apiAccommodation is an accommodation with the person's name, for the API.
type apiAccommodation struct {
	*safedesk.Accommodation
	Name string `json:"name"`
}

func (s *Server) handleAPIAccommodations(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Exams.FindExamByID(r.Context(), r.PathValue("examID"))
	if err != nil {
		return err
	}
	sec := &accSection{}
	if err := s.fillAccommodations(r.Context(), e, sec); err != nil {
		return err
	}
	out := make([]apiAccommodation, 0, len(sec.Rows))
	for _, row := range sec.Rows {
		out = append(out, apiAccommodation{Accommodation: row.Accommodation, Name: row.Name})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// accommodationRequest is the body of PUT …/accommodations/{userID}.
type accommodationRequest struct {
	Multiplier *float64 `json:"multiplier"`
	Note       string   `json:"note"`
}

func (s *Server) handleAPIAccommodationSet(w http.ResponseWriter, r *http.Request) error {
	var req accommodationRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Multiplier == nil {
		return safedesk.FieldError("multiplier", "Send the time multiplier as multiplier (1 removes the accommodation).")
	}
	a, err := s.setAccommodation(r, r.PathValue("examID"), r.PathValue("userID"), *req.Multiplier, req.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// multiplierText shows a multiplier as people write it: ×1.5.
func multiplierText(m float64) string {
	return fmt.Sprintf("×%s", strconv.FormatFloat(m, 'f', -1, 64))
}
