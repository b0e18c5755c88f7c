package http

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"safedesk"
	"safedesk/content"
	"safedesk/exam"
)

// apiRule is a blueprint row as trainers read and write it.
type apiRule struct {
	Chapter    string   `json:"chapter"`
	Count      int      `json:"count"`
	Difficulty []string `json:"difficulty"`
	Tags       []string `json:"tags"`
}

// apiExamDef is an exam's definition as trainers read and write it. The read-only fields
// (id, spec_id, from_pack, questions, counts, created_at) are ignored on writes, so a
// client can send back what it read.
type apiExamDef struct {
	ID               string               `json:"id,omitempty"`
	CourseID         string               `json:"course_id"`
	SpecID           string               `json:"spec_id,omitempty"`
	FromPack         bool                 `json:"from_pack"`
	Kind             string               `json:"kind"`
	Title            safedesk.Text        `json:"title"`
	Blueprint        []apiRule            `json:"blueprint"`
	PassMark         int                  `json:"pass_mark"`
	TimeLimitMinutes int                  `json:"time_limit_minutes"`
	Attempts         int                  `json:"attempts"`
	CooldownMinutes  int                  `json:"cooldown_minutes"`
	OpensAt          *time.Time           `json:"opens_at"`
	ClosesAt         *time.Time           `json:"closes_at"`
	ShuffleOptions   bool                 `json:"shuffle_options"`
	Review           string               `json:"review"`
	MultipleChoice   string               `json:"multiple_choice"`
	ValidityMonths   int                  `json:"validity_months"`
	RequiredDrills   int                  `json:"required_drills"`
	Questions        int                  `json:"questions"`
	Counts           *safedesk.ExamCounts `json:"counts,omitempty"`
	CreatedAt        *time.Time           `json:"created_at,omitempty"`
}

func examDef(e *safedesk.Exam) apiExamDef {
	d := apiExamDef{ID: e.ID, CourseID: e.CourseID, SpecID: e.SpecID, FromPack: e.FromPack(), Kind: e.Kind, Title: e.Title,
		Blueprint: []apiRule{}, PassMark: e.PassMark, TimeLimitMinutes: int(e.TimeLimit / time.Minute), Attempts: e.Attempts,
		CooldownMinutes: int(e.Cooldown / time.Minute), ShuffleOptions: e.ShuffleOptions, Review: e.Review,
		MultipleChoice: e.MultipleChoice, ValidityMonths: e.ValidityMonths, RequiredDrills: e.RequiredDrills,
		Questions: e.Spec().QuestionCount()}
	for _, r := range e.Blueprint {
		d.Blueprint = append(d.Blueprint, apiRule{Chapter: r.ChapterID, Count: r.Count, Difficulty: nonNil(r.Difficulty), Tags: nonNil(r.Tags)})
	}
	if !e.OpensAt.IsZero() {
		d.OpensAt = &e.OpensAt
	}
	if !e.ClosesAt.IsZero() {
		d.ClosesAt = &e.ClosesAt
	}
	if !e.CreatedAt.IsZero() {
		d.CreatedAt = &e.CreatedAt
	}
	return d
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// exam turns a definition into an exam, filling the defaults a course pack has too.
func (d apiExamDef) exam() *safedesk.Exam {
	e := &safedesk.Exam{CourseID: strings.TrimSpace(d.CourseID), Kind: d.Kind, Title: safedesk.Text{}, PassMark: d.PassMark,
		TimeLimit: time.Duration(d.TimeLimitMinutes) * time.Minute, Attempts: d.Attempts,
		Cooldown: time.Duration(d.CooldownMinutes) * time.Minute, ShuffleOptions: d.ShuffleOptions, Review: d.Review,
		MultipleChoice: d.MultipleChoice, ValidityMonths: d.ValidityMonths, RequiredDrills: d.RequiredDrills}
	for lang, t := range d.Title {
		if t = strings.TrimSpace(t); t != "" && slices.Contains(safedesk.Langs, lang) {
			e.Title[lang] = t
		}
	}
	if d.OpensAt != nil {
		e.OpensAt = d.OpensAt.UTC().Truncate(time.Minute)
	}
	if d.ClosesAt != nil {
		e.ClosesAt = d.ClosesAt.UTC().Truncate(time.Minute)
	}
	if e.Review == "" {
		e.Review = safedesk.ReviewScore
	}
	if e.MultipleChoice == "" {
		e.MultipleChoice = safedesk.ScoringAllOrNothing
	}
	if e.ValidityMonths == 0 {
		e.ValidityMonths = 12
	}
	for _, r := range d.Blueprint {
		rule := safedesk.BlueprintRule{ChapterID: strings.TrimSpace(r.Chapter), Count: r.Count}
		for _, x := range r.Difficulty {
			if x = strings.TrimSpace(x); x != "" && !slices.Contains(rule.Difficulty, x) {
				rule.Difficulty = append(rule.Difficulty, x)
			}
		}
		for _, x := range r.Tags {
			if x = strings.TrimSpace(x); x != "" && !slices.Contains(rule.Tags, x) {
				rule.Tags = append(rule.Tags, x)
			}
		}
		e.Blueprint = append(e.Blueprint, rule)
	}
	return e
}

// checkExam validates an exam's rules and checks its blueprint against the live question
// bank of its course; every error names the field at fault.
func (s *Server) checkExam(ctx context.Context, e *safedesk.Exam) error {
	if err := e.Validate(); err != nil {
		return err
	}
	live, err := s.Catalog.Course(ctx, e.CourseID)
	if err != nil {
		if safedesk.ErrorCode(err) == safedesk.ENOTFOUND {
			return safedesk.Localized(safedesk.EINVALID, "course_id", "exam_course_unknown", "There is no live course %q.", e.CourseID)
		}
		return err
	}
	for i, r := range e.Blueprint {
		if !slices.ContainsFunc(live.Pack.Chapters, func(c *safedesk.Chapter) bool { return c.ID == r.ChapterID }) {
			return safedesk.Localized(safedesk.EINVALID, fmt.Sprintf("blueprint[%d].chapter", i), "exam_rule_chapter_unknown",
				"Row %d of the blueprint: the course has no chapter %q.", i+1, r.ChapterID)
		}
		fit := 0
		for _, q := range live.Pack.Questions {
			if exam.RuleMatches(r, q) {
				fit++
			}
		}
		if fit < r.Count {
			return safedesk.Localized(safedesk.EINVALID, fmt.Sprintf("blueprint[%d].count", i), "exam_rule_short",
				"Row %d of the blueprint asks for %d questions but the bank has only %d that fit.", i+1, r.Count, fit)
		}
	}
	// Each row alone fits; rows that compete for the same questions may still not.
	if err := exam.CheckBlueprint(e.Spec(), live.Pack.Questions); err != nil {
		var se *safedesk.Error
		if errors.As(err, &se) && se.Code == safedesk.EINVALID {
			return safedesk.Localized(safedesk.EINVALID, se.Field, "exam_blueprint_bank", "The question bank cannot fill the blueprint: %s", se.Message)
		}
		return err
	}
	return nil
}

// createExam checks and stores a new exam of the caller.
func (s *Server) createExam(ctx context.Context, d apiExamDef) (*safedesk.Exam, error) {
	e := d.exam()
	if err := s.checkExam(ctx, e); err != nil {
		return nil, err
	}
	e.ID = safedesk.NewID()
	if err := s.Exams.CreateExam(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// updateExam checks and stores new rules for a trainer's exam; its course stays.
func (s *Server) updateExam(ctx context.Context, id string, d apiExamDef) (*safedesk.Exam, error) {
	old, err := s.Exams.FindExamByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if old.FromPack() {
		return nil, errExamFromPack()
	}
	if d.CourseID != "" && d.CourseID != old.CourseID {
		return nil, safedesk.Localized(safedesk.EINVALID, "course_id", "exam_course_fixed",
			"An exam keeps its course; copy it as a new exam to use another course's questions.")
	}
	d.CourseID = old.CourseID
	e := d.exam()
	if err := s.checkExam(ctx, e); err != nil {
		return nil, err
	}
	e.ID = old.ID
	if err := s.Exams.UpdateExam(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

func errExamFromPack() error {
	return safedesk.Localized(safedesk.ECONFLICT, "", "exam_from_pack",
		"This exam belongs to the course pack and is replaced whenever the pack is installed; change it in the pack, or copy it as a new exam.")
}

// examRow is one exam in the trainers' list.
type examRow struct {
	Exam      *safedesk.Exam
	Course    string
	Questions int
	Counts    safedesk.ExamCounts
	Running   int    // started and not submitted
	PassRate  string // "" when nothing was submitted
}

func (s *Server) examRows(ctx context.Context, lang string) ([]examRow, error) {
	exams, err := s.Exams.FindExams(ctx, "")
	if err != nil {
		return nil, err
	}
	counts, err := s.Exams.CountAttempts(ctx)
	if err != nil {
		return nil, err
	}
	live, err := s.Catalog.Live(ctx)
	if err != nil {
		return nil, err
	}
	titles := map[string]string{}
	for _, p := range live {
		titles[p.Pack.ID] = p.Pack.Title.In(lang)
	}
	rows := make([]examRow, 0, len(exams))
	for _, e := range exams {
		c := counts[e.ID]
		row := examRow{Exam: e, Course: titles[e.CourseID], Questions: e.Spec().QuestionCount(), Counts: c, Running: c.Attempts - c.Submitted}
		if row.Course == "" {
			row.Course = e.CourseID
		}
		if rate, ok := row.Counts.PassRate(); ok {
			row.PassRate = fmt.Sprintf("%.0f%%", rate*100)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func (s *Server) handleExamAdminList(w http.ResponseWriter, r *http.Request) error {
	rows, err := s.examRows(r.Context(), s.lang(r))
	if err != nil {
		return err
	}
	pending := 0
	for _, row := range rows {
		pending += row.Counts.Pending
	}
	return s.render(w, r, "examadmin_exams.html", map[string]any{"Rows": rows, "Pending": pending})
}

func (s *Server) handleAPIExamAdminList(w http.ResponseWriter, r *http.Request) error {
	exams, err := s.Exams.FindExams(r.Context(), r.URL.Query().Get("course_id"))
	if err != nil {
		return err
	}
	counts, err := s.Exams.CountAttempts(r.Context())
	if err != nil {
		return err
	}
	out := make([]apiExamDef, 0, len(exams))
	for _, e := range exams {
		d := examDef(e)
		c := counts[e.ID]
		d.Counts = &c
		out = append(out, d)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handleAPIExamAdminGet(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Exams.FindExamByID(r.Context(), r.PathValue("examID"))
	if err != nil {
		return err
	}
	counts, err := s.Exams.CountAttempts(r.Context())
	if err != nil {
		return err
	}
	d := examDef(e)
	c := counts[e.ID]
	d.Counts = &c
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) handleAPIExamCreate(w http.ResponseWriter, r *http.Request) error {
	var d apiExamDef
	if err := decodeJSON(r, &d); err != nil {
		return err
	}
	e, err := s.createExam(r.Context(), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, examDef(e))
	return nil
}

func (s *Server) handleAPIExamUpdate(w http.ResponseWriter, r *http.Request) error {
	var d apiExamDef
	if err := decodeJSON(r, &d); err != nil {
		return err
	}
	e, err := s.updateExam(r.Context(), r.PathValue("examID"), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, examDef(e))
	return nil
}

// courseBank describes a live course's question bank for the blueprint editor.
type courseBank struct {
	ID       string
	Title    string
	Chapters []chapterBank
}

// chapterBank counts a chapter's questions by difficulty and lists its tags.
type chapterBank struct {
	ID, Title               string
	Easy, Medium, Hard, All int
	Tags                    []tagCount
}

type tagCount struct {
	Tag string
	N   int
}

func bankOf(p *content.LivePack, lang string) courseBank {
	cb := courseBank{ID: p.Pack.ID, Title: p.Pack.Title.In(lang)}
	for _, ch := range p.Pack.Chapters {
		b := chapterBank{ID: ch.ID, Title: ch.Title.In(lang)}
		tags := map[string]int{}
		for _, q := range p.Pack.Questions {
			if q.ChapterID != ch.ID {
				continue
			}
			b.All++
			switch q.Difficulty {
			case "easy":
				b.Easy++
			case "medium":
				b.Medium++
			case "hard":
				b.Hard++
			}
			for _, t := range q.Tags {
				tags[t]++
			}
		}
		for t, n := range tags {
			b.Tags = append(b.Tags, tagCount{Tag: t, N: n})
		}
		slices.SortFunc(b.Tags, func(x, y tagCount) int { return strings.Compare(x.Tag, y.Tag) })
		cb.Chapters = append(cb.Chapters, b)
	}
	return cb
}
