package safedesk

import (
	"context"
	"encoding/json"
	"time"
)

// A DrillRun is one trainee's pass through a drill scenario. State is the drill engine's
// run, stored whole between replies; the other fields repeat what queries need.
type DrillRun struct {
	ID         string          `json:"id"`
	UserID     string          `json:"user_id"`
	UserName   string          `json:"user_name,omitempty"`
	CourseID   string          `json:"course_id"`
	ScenarioID string          `json:"scenario_id"`
	VersionID  string          `json:"version_id"`
	Lang       string          `json:"lang"`
	State      json.RawMessage `json:"-"`
	Done       bool            `json:"done"`
	Passed     bool            `json:"passed"`
	Score      int             `json:"score"`
	Uncertain  int             `json:"uncertain"` // replies waiting for a trainer's review
	StartedAt  time.Time       `json:"started_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// DrillRunFilter selects runs; empty fields do not filter.
type DrillRunFilter struct {
	UserID      string
	ScenarioID  string
	NeedsReview bool
	Limit       int
}

// DrillService stores drill runs.
type DrillService interface {
	CreateDrillRun(ctx context.Context, r *DrillRun) error
	// FindDrillRun returns ENOTFOUND.
	FindDrillRun(ctx context.Context, id string) (*DrillRun, error)
	// UpdateDrillRun locks the run, lets fn change it, and stores the result, in one
	// transaction: replies to one run are applied one at a time, on any node.
	UpdateDrillRun(ctx context.Context, id string, fn func(r *DrillRun) error) (*DrillRun, error)
	// FindDrillRuns returns runs, newest first.
	FindDrillRuns(ctx context.Context, f DrillRunFilter) ([]*DrillRun, error)
	// CountPassedScenarios counts the distinct scenarios of a course a person has passed.
	CountPassedScenarios(ctx context.Context, userID, courseID string) (int, error)
}
