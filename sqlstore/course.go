package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"safedesk"
)

// CourseService stores course versions, assignments and progress.
type CourseService struct{ db *DB }

// NewCourseService returns the course service of db.
func NewCourseService(db *DB) *CourseService { return &CourseService{db: db} }

var _ safedesk.CourseService = (*CourseService)(nil)

// InstallVersion stores a new version and makes it the live one, in one transaction.
func (s *CourseService) InstallVersion(ctx context.Context, v *safedesk.CourseVersion) error {
	files, err := json.Marshal(v.Files)
	if err != nil {
		return err
	}
	if v.ID == "" {
		v.ID = safedesk.NewID()
	}
	v.InstalledAt, v.Live = s.db.now(), true
	return s.db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE course_versions SET live = $1 WHERE course_id = $2`, false, v.CourseID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO course_versions (id, course_id, version, checksum, files, installed_by, installed_at, live)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, v.ID, v.CourseID, v.Version, v.Checksum, string(files), v.InstalledBy, ms(v.InstalledAt), true)
		if isUniqueViolation(err) {
			return &safedesk.Error{Code: safedesk.ECONFLICT, Field: "version",
				Message: fmt.Sprintf("Version %s of course %s is already installed; raise the version in pack.yaml.", v.Version, v.CourseID)}
		}
		if err != nil {
			return err
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditPackInstalled, v.CourseID, map[string]string{"version": v.Version, "checksum": v.Checksum})
	})
}

const versionColumns = `id, course_id, version, checksum, installed_by, installed_at, live`

func scanVersion(sc scanner, withFiles bool) (*safedesk.CourseVersion, error) {
	var v safedesk.CourseVersion
	var at int64
	var files string
	dest := []any{&v.ID, &v.CourseID, &v.Version, &v.Checksum, &v.InstalledBy, &at, &v.Live}
	if withFiles {
		dest = append(dest, &files)
	}
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	v.InstalledAt = fromMS(at)
	if withFiles {
		if err := json.Unmarshal([]byte(files), &v.Files); err != nil {
			return nil, fmt.Errorf("course version %s: %w", v.ID, err)
		}
	}
	return &v, nil
}

// FindLiveVersions returns the live version of every course, without files.
func (s *CourseService) FindLiveVersions(ctx context.Context) ([]*safedesk.CourseVersion, error) {
	return s.findVersions(ctx, false, `WHERE live = $1 ORDER BY course_id`, true)
}

// FindVersions returns every version of a course, newest first, without files.
func (s *CourseService) FindVersions(ctx context.Context, courseID string) ([]*safedesk.CourseVersion, error) {
	return s.findVersions(ctx, false, `WHERE course_id = $1 ORDER BY installed_at DESC`, courseID)
}

// FindVersionByID returns a version with its files; ENOTFOUND.
func (s *CourseService) FindVersionByID(ctx context.Context, id string) (*safedesk.CourseVersion, error) {
	vs, err := s.findVersions(ctx, true, `WHERE id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, safedesk.Errorf(safedesk.ENOTFOUND, "Course version not found.")
	}
	return vs[0], nil
}

func (s *CourseService) findVersions(ctx context.Context, withFiles bool, where string, args ...any) ([]*safedesk.CourseVersion, error) {
	cols := versionColumns
	if withFiles {
		cols += ", files"
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+cols+` FROM course_versions `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*safedesk.CourseVersion
	for rows.Next() {
		v, err := scanVersion(rows, withFiles)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CreateAssignment stores an assignment to a team or a person.
func (s *CourseService) CreateAssignment(ctx context.Context, a *safedesk.Assignment) error {
	if (a.TeamID == "") == (a.UserID == "") {
		return safedesk.FieldError("target", "Assign the course to a team or to a person.")
	}
	if a.DueAt.IsZero() {
		return safedesk.FieldError("due_at", "A due date is required.")
	}
	a.ID, a.CreatedAt = safedesk.NewID(), s.db.now()
	return s.db.tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO assignments (id, course_id, team_id, user_id, due_at, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, a.CourseID, nullable(a.TeamID), nullable(a.UserID), ms(a.DueAt), a.CreatedBy, ms(a.CreatedAt))
		if err != nil {
			if isForeignKey(err) {
				return safedesk.FieldError("target", "No such team or person.")
			}
			return err
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditAssigned, a.CourseID, map[string]any{"team_id": a.TeamID, "user_id": a.UserID, "due_at": a.DueAt})
	})
}

// FindAssignments lists a course's assignments, soonest due first, with target names.
func (s *CourseService) FindAssignments(ctx context.Context, courseID string) ([]*safedesk.Assignment, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT a.id, a.course_id, COALESCE(a.team_id, ''), COALESCE(a.user_id, ''),
		COALESCE(t.name, u.name, ''), a.due_at, a.created_by, a.created_at
		FROM assignments a LEFT JOIN teams t ON t.id = a.team_id LEFT JOIN users u ON u.id = a.user_id
		WHERE a.course_id = $1 ORDER BY a.due_at`, courseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*safedesk.Assignment
	for rows.Next() {
		var a safedesk.Assignment
		var due, created int64
		if err := rows.Scan(&a.ID, &a.CourseID, &a.TeamID, &a.UserID, &a.Target, &due, &a.CreatedBy, &created); err != nil {
			return nil, err
		}
		a.DueAt, a.CreatedAt = fromMS(due), fromMS(created)
		out = append(out, &a)
	}
	return out, rows.Err()
}

// FindUserAssignments returns the courses assigned to the user directly or through the
// team, with the earliest due date per course.
func (s *CourseService) FindUserAssignments(ctx context.Context, userID string) ([]*safedesk.DueAssignment, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT a.course_id, MIN(a.due_at) FROM assignments a
		LEFT JOIN users u ON u.id = $1
		WHERE a.user_id = $1 OR (a.team_id IS NOT NULL AND a.team_id = u.team_id)
		GROUP BY a.course_id ORDER BY MIN(a.due_at)`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*safedesk.DueAssignment
	for rows.Next() {
		var d safedesk.DueAssignment
		var due int64
		if err := rows.Scan(&d.CourseID, &due); err != nil {
			return nil, err
		}
		d.DueAt = fromMS(due)
		out = append(out, &d)
	}
	return out, rows.Err()
}

// SaveProgress records progress in a lesson. Progress only moves forward: a lesson once
// read stays read, and the furthest position is kept.
func (s *CourseService) SaveProgress(ctx context.Context, p *safedesk.Progress) error {
	if p.Position < 0 || p.Position > 100 {
		return safedesk.FieldError("position", "Position is a percentage from 0 to 100.")
	}
	p.UpdatedAt = s.db.now()
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO lesson_progress (user_id, course_id, lesson_id, done, position, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (user_id, course_id, lesson_id) DO UPDATE SET
			done = (lesson_progress.done OR excluded.done),
			position = CASE WHEN excluded.position > lesson_progress.position THEN excluded.position ELSE lesson_progress.position END,
			updated_at = excluded.updated_at`,
		p.UserID, p.CourseID, p.LessonID, p.Read, p.Position, ms(p.UpdatedAt))
	return err
}

// FindProgress returns a learner's progress in a course, most recent first.
func (s *CourseService) FindProgress(ctx context.Context, userID, courseID string) ([]*safedesk.Progress, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT lesson_id, done, position, updated_at FROM lesson_progress
		WHERE user_id = $1 AND course_id = $2 ORDER BY updated_at DESC`, userID, courseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*safedesk.Progress
	for rows.Next() {
		p := &safedesk.Progress{UserID: userID, CourseID: courseID}
		var at int64
		if err := rows.Scan(&p.LessonID, &p.Read, &p.Position, &at); err != nil {
			return nil, err
		}
		p.UpdatedAt = fromMS(at)
		out = append(out, p)
	}
	return out, rows.Err()
}
