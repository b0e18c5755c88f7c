package http

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"safedesk"
)

// formTime is how a datetime-local input writes a time; the editor works in UTC.
const formTime = "2006-01-02T15:04"

// examForm is the exam editor: the values shown (as typed, after a failed save) and what
// the page needs around them.
type examForm struct {
	Exam *safedesk.Exam // nil for a new exam
	// CopyOf is the exam a new one starts as a copy of.
	CopyOf       *safedesk.Exam
	V            map[string]string
	Rows         []formRule
	Courses      []courseBank
	Kinds        []string
	Reviews      []string
	Scorings     []string
	Difficulties []string
	// Error is the message of a refused save and Field the input at fault.
	Error, Field string
	Editable     bool
	// N holds the exam's durations in minutes, for the read-only summary.
	N      map[string]int
	Counts safedesk.ExamCounts
	Acc    *accSection // staff only, on an existing exam
}

// formRule is a blueprint row as the form shows it; Title names its chapter.
type formRule struct {
	Chapter, Count, Tags string
	Difficulty           []string
	Title                string
}

// blankRows is how many empty blueprint rows the editor offers below the filled ones.
const blankRows = 3

func newExamForm() *examForm {
	return &examForm{V: map[string]string{}, Kinds: safedesk.ExamKinds, Difficulties: safedesk.Difficulties,
		Reviews:  []string{safedesk.ReviewScore, safedesk.ReviewAnswers, safedesk.ReviewAnswersAfterClose},
		Scorings: []string{safedesk.ScoringAllOrNothing, safedesk.ScoringPartial}}
}

// fill shows an exam's rules in the form.
func (f *examForm) fill(e *safedesk.Exam) {
	f.V = map[string]string{"title_zh": e.Title[safedesk.LangZH], "title_en": e.Title[safedesk.LangEN], "course_id": e.CourseID,
		"kind": e.Kind, "pass_mark": strconv.Itoa(e.PassMark), "time_limit_minutes": strconv.Itoa(int(e.TimeLimit / time.Minute)),
		"attempts": strconv.Itoa(e.Attempts), "cooldown_minutes": strconv.Itoa(int(e.Cooldown / time.Minute)),
		"review": e.Review, "multiple_choice": e.MultipleChoice, "validity_months": strconv.Itoa(e.ValidityMonths),
		"required_drills": strconv.Itoa(e.RequiredDrills)}
	if e.ShuffleOptions {
		f.V["shuffle_options"] = "on"
	}
	if !e.OpensAt.IsZero() {
		f.V["opens_at"] = e.OpensAt.UTC().Format(formTime)
	}
	if !e.ClosesAt.IsZero() {
		f.V["closes_at"] = e.ClosesAt.UTC().Format(formTime)
	}
	f.Rows = nil
	for _, r := range e.Blueprint {
		f.Rows = append(f.Rows, formRule{Chapter: r.ChapterID, Count: strconv.Itoa(r.Count), Tags: strings.Join(r.Tags, ", "),
			Difficulty: r.Difficulty})
	}
}

// padRows adds n empty rows to the blueprint.
func (f *examForm) padRows(n int) {
	for range n {
		f.Rows = append(f.Rows, formRule{})
	}
}

// formFields are the single-valued inputs of the editor.
var formFields = []string{"title_zh", "title_en", "course_id", "kind", "pass_mark", "time_limit_minutes", "attempts",
	"cooldown_minutes", "opens_at", "closes_at", "shuffle_options", "review", "multiple_choice", "validity_months", "required_drills"}

// parseExamForm reads the editor into f (as typed) and into a definition. A number that
// does not parse becomes -1, which validation then refuses with the field's own message;
// a missing optional number takes its default.
func parseExamForm(r *http.Request, f *examForm) (apiExamDef, error) {
	if err := r.ParseForm(); err != nil {
		return apiExamDef{}, safedesk.Errorf(safedesk.EINVALID, "The form could not be read.")
	}
	form := r.PostForm
	for _, k := range formFields {
		f.V[k] = strings.TrimSpace(form.Get(k))
	}
	d := apiExamDef{CourseID: f.V["course_id"], Kind: f.V["kind"],
		Title:    safedesk.Text{safedesk.LangZH: f.V["title_zh"], safedesk.LangEN: f.V["title_en"]},
		PassMark: formInt(f.V["pass_mark"], -1), TimeLimitMinutes: formInt(f.V["time_limit_minutes"], -1),
		Attempts: formInt(f.V["attempts"], 0), CooldownMinutes: formInt(f.V["cooldown_minutes"], 0),
		ShuffleOptions: f.V["shuffle_options"] != "", Review: f.V["review"], MultipleChoice: f.V["multiple_choice"],
		ValidityMonths: formInt(f.V["validity_months"], 12), RequiredDrills: formInt(f.V["required_drills"], 0)}
	n := min(formInt(form.Get("bp_rows"), 0), safedesk.MaxBlueprintRows+blankRows)
	f.Rows = nil
	for i := range n {
		k := strconv.Itoa(i)
		row := formRule{Chapter: strings.TrimSpace(form.Get("bp_chapter_" + k)), Count: strings.TrimSpace(form.Get("bp_count_" + k)),
			Tags: strings.TrimSpace(form.Get("bp_tags_" + k)), Difficulty: form["bp_difficulty_"+k]}
		if row.Chapter == "" && row.Count == "" && row.Tags == "" && len(row.Difficulty) == 0 {
			continue // a blank row; kept rows close up so that row i is blueprint[i]
		}
		f.Rows = append(f.Rows, row)
		d.Blueprint = append(d.Blueprint, apiRule{Chapter: row.Chapter, Count: formInt(row.Count, -1), Difficulty: row.Difficulty,
			Tags: splitTags(row.Tags)})
	}
	var err error
	if d.OpensAt, err = formDateTime(f.V["opens_at"], "opens_at"); err != nil {
		return d, err
	}
	if d.ClosesAt, err = formDateTime(f.V["closes_at"], "closes_at"); err != nil {
		return d, err
	}
	return d, nil
}

// formInt reads a whole number, accepting the full-width digits of a Chinese input method;
// empty gives def and anything else that is not a number -1.
func formInt(s string, def int) int {
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func formDateTime(s, field string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{formTime, "2006-01-02T15:04:05", "2006-01-02 15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, safedesk.Localized(safedesk.EINVALID, field, "exam_datetime", "Give the time as YYYY-MM-DD HH:MM (UTC).")
}

// splitTags reads tags separated by commas (either width), semicolons or spaces.
func splitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == ';' || r == '；' || r == ' ' || r == '\t' || r == '、'
	})
}

func isStaff(u *safedesk.User) bool { return u != nil && slices.Contains(staff, u.Role) }

// renderExamForm completes the editor with the live courses and, for an existing exam,
// its counts and accommodations, and renders it.
func (s *Server) renderExamForm(w http.ResponseWriter, r *http.Request, status int, f *examForm) error {
	ctx := r.Context()
	lang := s.lang(r)
	live, err := s.Catalog.Live(ctx)
	if err != nil {
		return err
	}
	for _, p := range live {
		f.Courses = append(f.Courses, bankOf(p, lang))
	}
	f.Editable = isStaff(currentUser(r)) && (f.Exam == nil || !f.Exam.FromPack())
	titles := map[string]string{}
	for _, c := range f.Courses {
		for _, ch := range c.Chapters {
			titles[ch.ID] = ch.Title
		}
	}
	for i := range f.Rows {
		f.Rows[i].Title = titles[f.Rows[i].Chapter]
	}
	if f.Exam != nil {
		f.N = map[string]int{"time_limit_minutes": int(f.Exam.TimeLimit / time.Minute), "cooldown_minutes": int(f.Exam.Cooldown / time.Minute)}
		counts, err := s.Exams.CountAttempts(ctx)
		if err != nil {
			return err
		}
		f.Counts = counts[f.Exam.ID]
		if isStaff(currentUser(r)) {
			if f.Acc == nil {
				f.Acc = &accSection{V: map[string]string{}}
			}
			if err := s.fillAccommodations(ctx, f.Exam, f.Acc); err != nil {
				return err
			}
		}
	}
	s.renderStatus(w, r, status, "examadmin_exam.html", f)
	return nil
}

// formFailed re-renders the editor with a refused save's message, or returns err when it
// is not the person's to fix.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, f *examForm, err error) error {
	d := s.classify(r, err)
	if d.Code != safedesk.EINVALID {
		return err
	}
	f.Error, f.Field = d.Message, d.Field
	if len(f.Rows) == 0 {
		f.padRows(1)
	}
	f.padRows(blankRows)
	return s.renderExamForm(w, r, http.StatusBadRequest, f)
}

func (s *Server) handleExamNewPage(w http.ResponseWriter, r *http.Request) error {
	f := newExamForm()
	if id := r.URL.Query().Get("copy"); id != "" {
		src, err := s.Exams.FindExamByID(r.Context(), id)
		if err != nil {
			return err
		}
		f.fill(src)
		f.CopyOf = src
		for k, suffix := range map[string]string{"title_zh": "（副本）", "title_en": " (copy)"} {
			if f.V[k] != "" {
				f.V[k] += suffix
			}
		}
	} else {
		f.V = map[string]string{"kind": safedesk.ExamPractice, "pass_mark": "80", "time_limit_minutes": "30", "attempts": "1",
			"cooldown_minutes": "0", "shuffle_options": "on", "review": safedesk.ReviewScore,
			"multiple_choice": safedesk.ScoringAllOrNothing, "validity_months": "12", "required_drills": "0"}
		if c := r.URL.Query().Get("course"); c != "" {
			f.V["course_id"] = c
		}
	}
	f.padRows(blankRows)
	return s.renderExamForm(w, r, http.StatusOK, f)
}

func (s *Server) handleExamCreateForm(w http.ResponseWriter, r *http.Request) error {
	f := newExamForm()
	d, err := parseExamForm(r, f)
	if err != nil {
		return s.formFailed(w, r, f, err)
	}
	if r.PostFormValue("more") != "" {
		f.padRows(blankRows)
		return s.renderExamForm(w, r, http.StatusOK, f)
	}
	e, err := s.createExam(r.Context(), d)
	if err != nil {
		return s.formFailed(w, r, f, err)
	}
	return redirect(w, r, "/admin/exams/"+url.PathEscape(e.ID), "exam_created")
}

func (s *Server) handleExamEditPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Exams.FindExamByID(r.Context(), r.PathValue("examID"))
	if err != nil {
		return err
	}
	f := newExamForm()
	f.Exam = e
	f.fill(e)
	if isStaff(currentUser(r)) && !e.FromPack() {
		f.padRows(blankRows)
	}
	return s.renderExamForm(w, r, http.StatusOK, f)
}

func (s *Server) handleExamUpdateForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Exams.FindExamByID(r.Context(), r.PathValue("examID"))
	if err != nil {
		return err
	}
	if e.FromPack() {
		return errExamFromPack()
	}
	f := newExamForm()
	f.Exam = e
	d, err := parseExamForm(r, f)
	if err != nil {
		return s.formFailed(w, r, f, err)
	}
	f.V["course_id"] = e.CourseID
	if r.PostFormValue("more") != "" {
		f.padRows(blankRows)
		return s.renderExamForm(w, r, http.StatusOK, f)
	}
	d.CourseID = e.CourseID
	if _, err := s.updateExam(r.Context(), e.ID, d); err != nil {
		return s.formFailed(w, r, f, err)
	}
	return redirect(w, r, "/admin/exams/"+url.PathEscape(e.ID), "exam_saved")
}
