package safedesk

import (
	"context"
	"time"
)

// A CourseVersion is one installed version of a course pack. Exactly one version of a
// course is live at a time; older ones are kept.
type CourseVersion struct {
	ID          string    `json:"id"`
	CourseID    string    `json:"course_id"`
	Version     string    `json:"version"`
	Checksum    string    `json:"checksum"`
	InstalledBy string    `json:"installed_by"`
	InstalledAt time.Time `json:"installed_at"`
	Live        bool      `json:"live"`
	// Files are the pack's source files by path; they are what is parsed to serve it.
	Files map[string][]byte `json:"-"`
}

// An Assignment asks a team or a person to complete a course by a date.
type Assignment struct {
	ID        string    `json:"id"`
	CourseID  string    `json:"course_id"`
	TeamID    string    `json:"team_id,omitempty"`
	UserID    string    `json:"user_id,omitempty"`
	Target    string    `json:"target"` // team or person name, for display
	DueAt     time.Time `json:"due_at"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Progress is what one learner has done in one lesson. It is keyed by course and lesson id,
// so it carries over to new versions of a pack that keep the lesson's id.
type Progress struct {
	UserID    string    `json:"-"`
	CourseID  string    `json:"course_id"`
	LessonID  string    `json:"lesson_id"`
	Read      bool      `json:"read"`
	Position  int       `json:"position"` // how far the learner scrolled, percent
	UpdatedAt time.Time `json:"updated_at"`
}

// A DueAssignment is an assignment as one learner sees it.
type DueAssignment struct {
	CourseID string    `json:"course_id"`
	DueAt    time.Time `json:"due_at"`
}

// CourseService stores course versions, assignments and progress.
type CourseService interface {
	// InstallVersion stores a new version and makes it live; ECONFLICT when the version
	// number is already installed.
	InstallVersion(ctx context.Context, v *CourseVersion) error
	// FindLiveVersions returns the live version of every course, without files.
	FindLiveVersions(ctx context.Context) ([]*CourseVersion, error)
	// FindVersions returns every version of a course, newest first, without files.
	FindVersions(ctx context.Context, courseID string) ([]*CourseVersion, error)
	// FindVersionByID returns a version with its files; ENOTFOUND.
	FindVersionByID(ctx context.Context, id string) (*CourseVersion, error)

	CreateAssignment(ctx context.Context, a *Assignment) error
	FindAssignments(ctx context.Context, courseID string) ([]*Assignment, error)
	// FindUserAssignments returns the courses assigned to the user directly or through the
	// team, with the earliest due date per course.
	FindUserAssignments(ctx context.Context, userID string) ([]*DueAssignment, error)

	SaveProgress(ctx context.Context, p *Progress) error
	FindProgress(ctx context.Context, userID, courseID string) ([]*Progress, error)
}

// A Notification is a message shown to one user in the UI, such as a due-date reminder.
type Notification struct {
	ID        string    `json:"id"`
	UserID    string    `json:"-"`
	Kind      string    `json:"kind"`
	Ref       string    `json:"ref"`
	Params    string    `json:"params"` // JSON, rendered by the UI in the reader's language
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// Notification kinds.
const NotifyDueSoon = "course.due_soon"

// NotificationService stores notifications.
type NotificationService interface {
	// Notify creates a notification once per (user, kind, ref); a repeat is ignored and
	// reports false.
	Notify(ctx context.Context, n *Notification) (bool, error)
	FindNotifications(ctx context.Context, userID string, limit int) ([]*Notification, int, error)
	MarkNotificationsRead(ctx context.Context, userID string) error
	// FindDueSoon returns (user, course, due date) for active users whose assignment falls
	// due before the given time and who have not finished the course.
	FindDueSoon(ctx context.Context, before time.Time) ([]DueReminder, error)
}

// A DueReminder is one learner to remind about one course.
type DueReminder struct {
	UserID   string
	CourseID string
	DueAt    time.Time
}
