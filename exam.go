package safedesk

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// An Exam is an exam people can sit: the blueprint and rules of a pack's exam (or one a
// trainer defined), bound to a course. Its questions come from the live version of the
// course at the time each attempt starts.
type Exam struct {
	ID             string          `json:"id"`
	CourseID       string          `json:"course_id"`
	SpecID         string          `json:"spec_id,omitempty"` // the pack's exam id; "" when defined by a trainer
	Kind           string          `json:"kind"`
	Title          Text            `json:"title"`
	Blueprint      []BlueprintRule `json:"blueprint"`
	PassMark       int             `json:"pass_mark"`
	TimeLimit      time.Duration   `json:"-"`
	Attempts       int             `json:"attempts"` // tries to pass, counted again after each pass (AttemptsUsed); 0: unlimited
	Cooldown       time.Duration   `json:"-"`
	OpensAt        time.Time       `json:"opens_at,omitzero"`
	ClosesAt       time.Time       `json:"closes_at,omitzero"`
	ShuffleOptions bool            `json:"shuffle_options"`
	Review         string          `json:"review"`
	MultipleChoice string          `json:"multiple_choice"`
	ValidityMonths int             `json:"validity_months"`
	RequiredDrills int             `json:"required_drills"`
	CreatedAt      time.Time       `json:"created_at"`
}

// Spec returns the exam as a pack spec, for drawing papers.
func (e *Exam) Spec() *ExamSpec {
	return &ExamSpec{ID: e.ID, Kind: e.Kind, Title: e.Title, PassMark: e.PassMark,
		TimeLimitMinutes: int(e.TimeLimit / time.Minute), Attempts: e.Attempts, CooldownMinutes: int(e.Cooldown / time.Minute),
		ShuffleOptions: e.ShuffleOptions, Review: e.Review, MultipleChoice: e.MultipleChoice,
		ValidityMonths: e.ValidityMonths, RequiredDrills: e.RequiredDrills, Blueprint: e.Blueprint}
}

// ExamFromSpec makes the exam of a pack's spec for a course.
func ExamFromSpec(courseID string, s *ExamSpec) *Exam {
	return &Exam{ID: courseID + "-" + s.ID, CourseID: courseID, SpecID: s.ID, Kind: s.Kind, Title: s.Title,
		Blueprint: s.Blueprint, PassMark: s.PassMark, TimeLimit: time.Duration(s.TimeLimitMinutes) * time.Minute,
		Attempts: s.Attempts, Cooldown: time.Duration(s.CooldownMinutes) * time.Minute, ShuffleOptions: s.ShuffleOptions,
		Review: s.Review, MultipleChoice: s.MultipleChoice, ValidityMonths: s.ValidityMonths, RequiredDrills: s.RequiredDrills}
}

// An Attempt is one sitting of an exam by one person. Its paper is fixed when it starts;
// the questions are read from the course version it started on.
type Attempt struct {
	ID          string          `json:"id"`
	ExamID      string          `json:"exam_id"`
	UserID      string          `json:"user_id"`
	VersionID   string          `json:"version_id"`
	Number      int             `json:"number"`
	Paper       json.RawMessage `json:"-"` // the exam package's Paper, as stored
	Lang        string          `json:"lang"`
	StartedAt   time.Time       `json:"started_at"`
	Deadline    time.Time       `json:"deadline"`
	SubmittedAt time.Time       `json:"submitted_at,omitzero"`
	Score       float64         `json:"score"`
	Passed      bool            `json:"passed"`
	Pending     int             `json:"pending_review"`
	Results     json.RawMessage `json:"-"` // per-question results, as stored
	AutoSubmit  bool            `json:"auto_submitted"`
}

// Submitted reports whether the attempt has been submitted (by the person or at its deadline).
func (a *Attempt) Submitted() bool { return !a.SubmittedAt.IsZero() }

// AttemptsUsed counts a person's attempts against the exam's limit: those since their
// last pass, so that someone certified years ago who must recertify starts with every
// attempt again. atts is newest first.
func AttemptsUsed(atts []*Attempt) int {
	for i, a := range atts {
		if a.Passed {
			return i
		}
	}
	return len(atts)
}

// A Grading is the outcome of grading an attempt, computed by the caller of SubmitAttempt
// from the saved answers.
type Grading struct {
	Score   float64
	Passed  bool
	Pending int
	Results json.RawMessage
	// Certificate, when set, is stored in the same transaction as the result.
	Certificate *Certificate
}

// GradeFunc grades an attempt from its saved answers (question id → response JSON).
type GradeFunc func(a *Attempt, answers map[string]json.RawMessage) (*Grading, error)

// ExamService stores exams, attempts and answers.
type ExamService interface {
	ExamAdminService

	// UpsertExam creates or updates an exam by id.
	UpsertExam(ctx context.Context, e *Exam) error
	// FindExamByID returns ENOTFOUND.
	FindExamByID(ctx context.Context, id string) (*Exam, error)
	// FindExams returns the exams of a course ("" for all).
	FindExams(ctx context.Context, courseID string) ([]*Exam, error)

	// StartAttempt stores a new attempt, numbering it; it returns ECONFLICT when the person
	// has no attempts left, is cooling down, or has an attempt in progress (which it returns).
	StartAttempt(ctx context.Context, a *Attempt, e *Exam) (*Attempt, error)
	// FindAttempt returns ENOTFOUND.
	FindAttempt(ctx context.Context, id string) (*Attempt, error)
	// FindUserAttempts returns a person's attempts at an exam, newest first.
	FindUserAttempts(ctx context.Context, examID, userID string) ([]*Attempt, error)
	// SaveAnswer stores one answer; it is idempotent. ENOTFOUND when the attempt is not the
	// user's; ECONFLICT after submission or the deadline.
	SaveAnswer(ctx context.Context, attemptID, userID, questionID string, response json.RawMessage) error
	// FindAnswers returns the saved answers of an attempt.
	FindAnswers(ctx context.Context, attemptID string) (map[string]json.RawMessage, error)
	// SubmitAttempt grades and closes an attempt in one transaction; submitting again
	// returns the stored result.
	SubmitAttempt(ctx context.Context, attemptID string, auto bool, grade GradeFunc) (*Attempt, *Certificate, error)
	// FindOverdueAttempts returns unsubmitted attempts whose deadline passed before t.
	FindOverdueAttempts(ctx context.Context, before time.Time) ([]*Attempt, error)
	// FindSubmittedAttempts returns every submitted attempt of an exam, for statistics.
	FindSubmittedAttempts(ctx context.Context, examID string) ([]*Attempt, error)
	// IssueCertificate stores the certificate of an attempt passed earlier, once its other
	// requirements (drills) are met; ECONFLICT when the attempt already has one.
	IssueCertificate(ctx context.Context, c *Certificate) error
	// QuestionUsage counts how often each question was drawn for an exam. The map may be
	// shared and must not be changed.
	QuestionUsage(ctx context.Context, examID string) (map[string]int, error)
}

// Review policies: what a trainee sees of a submitted attempt.
const (
	ReviewScore             = "score"               // the score only
	ReviewAnswers           = "answers"             // answers and explanations, at once
	ReviewAnswersAfterClose = "answers_after_close" // answers once the availability window has closed
)

// Scoring policies for multiple-choice, ordering and matching questions.
const (
	ScoringAllOrNothing = "all_or_nothing"
	ScoringPartial      = "partial"
)

// ExamKinds lists the kinds of exam, certification first.
var ExamKinds = []string{ExamCertification, ExamPretest, ExamPosttest, ExamPractice}

// Audit actions of exam administration.
const (
	AuditExamCreated      = "exam.created"
	AuditExamUpdated      = "exam.updated"
	AuditAccommodationSet = "exam.accommodation_set"
	AuditAnswerReviewed   = "exam.answer_reviewed"
)

// Bounds of an exam's rules, the same as a course pack allows.
const (
	MaxExamTitle     = 200
	MaxTimeLimit     = 600 * time.Minute
	MaxExamAttempts  = 100
	MaxCooldown      = 365 * 24 * time.Hour
	MaxValidity      = 120
	MaxDrills        = 50
	MaxBlueprintRows = 50
	MaxRuleCount     = 500
	MaxRuleTags      = 20
)

// FromPack reports whether the exam belongs to a course pack. Installing a version of the
// pack writes the pack's rules over it, so such an exam is changed in the pack, not here.
func (e *Exam) FromPack() bool { return e.SpecID != "" }

// Validate checks an exam's rules field by field; the error names the field
// ("pass_mark", "blueprint[2].count"). Whether the question bank can satisfy the
// blueprint is a separate check against the live pack (exam.CheckBlueprint).
func (e *Exam) Validate() error {
	if e.Title[LangZH] == "" && e.Title[LangEN] == "" {
		return Localized(EINVALID, "title", "exam_title", "Give the exam a title.")
	}
	for lang, t := range e.Title {
		if len([]rune(t)) > MaxExamTitle {
			return Localized(EINVALID, "title."+lang, "exam_title_long", "The title is longer than %d characters.", MaxExamTitle)
		}
	}
	switch {
	case e.CourseID == "":
		return Localized(EINVALID, "course_id", "exam_course", "Choose the course whose question bank the exam draws from.")
	case !slices.Contains(ExamKinds, e.Kind):
		return Localized(EINVALID, "kind", "exam_kind", "Choose the kind of exam: certification, pre-test, post-test or practice.")
	case e.PassMark < 0 || e.PassMark > 100:
		return Localized(EINVALID, "pass_mark", "exam_pass_mark", "The pass mark is a whole number from 0 to 100.")
	case e.TimeLimit < time.Minute || e.TimeLimit > MaxTimeLimit || e.TimeLimit%time.Minute != 0:
		return Localized(EINVALID, "time_limit_minutes", "exam_time_limit", "The time limit is a whole number of minutes from 1 to %d.", int(MaxTimeLimit/time.Minute))
	case e.Attempts < 0 || e.Attempts > MaxExamAttempts:
		return Localized(EINVALID, "attempts", "exam_attempts", "Attempts is a whole number from 0 (unlimited) to %d.", MaxExamAttempts)
	case e.Cooldown < 0 || e.Cooldown > MaxCooldown || e.Cooldown%time.Minute != 0:
		return Localized(EINVALID, "cooldown_minutes", "exam_cooldown", "The cooldown is a whole number of minutes from 0 to %d.", int(MaxCooldown/time.Minute))
	case !e.OpensAt.IsZero() && !e.ClosesAt.IsZero() && !e.ClosesAt.After(e.OpensAt):
		return Localized(EINVALID, "closes_at", "exam_window", "The exam must close after it opens.")
	case !slices.Contains([]string{ReviewScore, ReviewAnswers, ReviewAnswersAfterClose}, e.Review):
		return Localized(EINVALID, "review", "exam_review", "Choose what trainees see after submitting: score, answers or answers_after_close.")
	case e.Review == ReviewAnswersAfterClose && e.ClosesAt.IsZero():
		return Localized(EINVALID, "review", "exam_review_close", "Answers can be shown after the exam closes only when it has a closing time.")
	case !slices.Contains([]string{ScoringAllOrNothing, ScoringPartial}, e.MultipleChoice):
		return Localized(EINVALID, "multiple_choice", "exam_multiple_choice", "Choose how multiple-choice answers score: all_or_nothing or partial.")
	case e.ValidityMonths < 1 || e.ValidityMonths > MaxValidity:
		return Localized(EINVALID, "validity_months", "exam_validity", "A certificate is valid for 1 to %d months.", MaxValidity)
	case e.RequiredDrills < 0 || e.RequiredDrills > MaxDrills:
		return Localized(EINVALID, "required_drills", "exam_drills", "Required drills is a whole number from 0 to %d.", MaxDrills)
	case len(e.Blueprint) == 0:
		return Localized(EINVALID, "blueprint", "exam_blueprint_empty", "The blueprint needs at least one row.")
	case len(e.Blueprint) > MaxBlueprintRows:
		return Localized(EINVALID, "blueprint", "exam_blueprint_long", "The blueprint has more than %d rows.", MaxBlueprintRows)
	}
	for i, r := range e.Blueprint {
		field := fmt.Sprintf("blueprint[%d].", i)
		switch {
		case r.ChapterID == "":
			return Localized(EINVALID, field+"chapter", "exam_rule_chapter", "Row %d of the blueprint needs a chapter.", i+1)
		case r.Count < 1 || r.Count > MaxRuleCount:
			return Localized(EINVALID, field+"count", "exam_rule_count", "Row %d of the blueprint draws 1 to %d questions.", i+1, MaxRuleCount)
		case len(r.Tags) > MaxRuleTags:
			return Localized(EINVALID, field+"tags", "exam_rule_tags", "Row %d of the blueprint lists more than %d tags.", i+1, MaxRuleTags)
		}
		for _, d := range r.Difficulty {
			if !slices.Contains(Difficulties, d) {
				return Localized(EINVALID, field+"difficulty", "exam_rule_difficulty", "Row %d of the blueprint: %q is not easy, medium or hard.", i+1, d)
			}
		}
	}
	return nil
}

// ExamCounts summarises the attempts at one exam.
type ExamCounts struct {
	Attempts  int `json:"attempts"`  // started, submitted or not
	Submitted int `json:"submitted"` // submitted (by the person or at the deadline)
	Passed    int `json:"passed"`    // submitted and passed
	Pending   int `json:"pending"`   // submitted with answers waiting for review
	People    int `json:"people"`    // distinct people who started one
}

// PassRate is the share of submitted attempts that passed, from 0 to 1; ok is false when
// none was submitted.
func (c ExamCounts) PassRate() (rate float64, ok bool) {
	if c.Submitted == 0 {
		return 0, false
	}
	return float64(c.Passed) / float64(c.Submitted), true
}

// An Accommodation gives one person more time at one exam: the time limit is multiplied
// by Multiplier (1.25, 1.5 …) when an attempt starts. Attempts already running keep their
// deadline.
type Accommodation struct {
	ExamID     string    `json:"exam_id"`
	UserID     string    `json:"user_id"`
	Multiplier float64   `json:"multiplier"`
	Note       string    `json:"note"`
	SetBy      string    `json:"set_by"` // the e-mail of whoever set it
	UpdatedAt  time.Time `json:"updated_at"`
}

// MaxAccommodationNote bounds the note kept with an accommodation.
const MaxAccommodationNote = 200

// An AnswerReview is a trainer's decision on one answer that was waiting for review.
type AnswerReview struct {
	AttemptID  string
	QuestionID string
	// Score is the credit given: 0 rejects the answer, 1 accepts it, a value between gives
	// partial credit.
	Score float64
}

// RegradeFunc recomputes a submitted attempt's grading after a review, from the attempt
// as stored (locked for the transaction). hasCertificate reports that the attempt already
// has a certificate, so that one is issued at most once; a Certificate the function
// returns is stored in the same transaction.
type RegradeFunc func(a *Attempt, hasCertificate bool) (*Grading, error)

// ExamAdminService is what trainers need beyond sitting exams: defining exams, time
// accommodations, the review queue and the attempts that statistics read.
type ExamAdminService interface {
	// CreateExam stores a new exam defined by a trainer and records it in the audit log in
	// the same transaction; ECONFLICT when the id is taken.
	CreateExam(ctx context.Context, e *Exam) error
	// UpdateExam replaces the rules of a trainer's exam (not its course) and records what
	// changed in the audit log; ENOTFOUND; ECONFLICT for an exam of a course pack, which
	// only installing the pack changes.
	UpdateExam(ctx context.Context, e *Exam) error
	// CountAttempts summarises the attempts at every exam, by exam id.
	CountAttempts(ctx context.Context) (map[string]ExamCounts, error)

	// FindAccommodation returns a person's time multiplier at an exam: 1 when none is set.
	FindAccommodation(ctx context.Context, examID, userID string) (float64, error)
	// FindAccommodations returns the accommodations at an exam.
	FindAccommodations(ctx context.Context, examID string) ([]*Accommodation, error)
	// SetAccommodation stores an accommodation, or removes it when the multiplier is 1,
	// and records it in the audit log; ENOTFOUND for an unknown exam or person.
	SetAccommodation(ctx context.Context, a *Accommodation) error

	// FindFirstAttempts returns every person's first attempt at an exam, when it has been
	// submitted, oldest submission first: the attempts statistics are computed from.
	FindFirstAttempts(ctx context.Context, examID string) ([]*Attempt, error)
	// FindFirstAttemptAnswers returns the saved answers of those attempts: attempt id →
	// question id → response.
	FindFirstAttemptAnswers(ctx context.Context, examID string) (map[string]map[string]json.RawMessage, error)

	// FindPendingReviews returns submitted attempts with answers waiting for review, of one
	// exam ("" for all), oldest submission first, at most limit.
	FindPendingReviews(ctx context.Context, examID string, limit int) ([]*Attempt, error)
	// ReviewAnswer applies a trainer's decision: in one transaction it locks the attempt,
	// regrades it, stores the new result and any certificate the regrade issued, and
	// records both in the audit log. ENOTFOUND; ECONFLICT when the attempt is not
	// submitted (and whatever regrade returns, such as an answer already reviewed).
	ReviewAnswer(ctx context.Context, r AnswerReview, regrade RegradeFunc) (*Attempt, *Certificate, error)
}
