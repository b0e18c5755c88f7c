package safedesk

import (
	"context"
	"encoding/json"
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
	Attempts       int             `json:"attempts"` // 0: unlimited
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
	// QuestionUsage counts how often each question was drawn for an exam.
	QuestionUsage(ctx context.Context, examID string) (map[string]int, error)
}
