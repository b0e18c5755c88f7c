package sqlstore

import (
	"context"
	"time"

	"safedesk"
)

// NotificationService stores the messages shown to users in the UI.
type NotificationService struct{ db *DB }

// NewNotificationService returns the notification service of db.
func NewNotificationService(db *DB) *NotificationService { return &NotificationService{db: db} }

var _ safedesk.NotificationService = (*NotificationService)(nil)

// Notify creates a notification once per (user, kind, ref); a repeat reports false.
func (s *NotificationService) Notify(ctx context.Context, n *safedesk.Notification) (bool, error) {
	n.ID, n.CreatedAt = safedesk.NewID(), s.db.now()
	res, err := s.db.write.ExecContext(ctx, `INSERT INTO notifications (id, user_id, kind, ref, params, created_at, seen)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, kind, ref) DO NOTHING`,
		n.ID, n.UserID, n.Kind, n.Ref, n.Params, ms(n.CreatedAt), false)
	if err != nil {
		return false, err
	}
	k, _ := res.RowsAffected()
	return k > 0, nil
}

// FindNotifications returns a user's newest notifications and the number unread.
func (s *NotificationService) FindNotifications(ctx context.Context, userID string, limit int) ([]*safedesk.Notification, int, error) {
	var unread int
	if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND seen = $2`, userID, false).Scan(&unread); err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, kind, ref, params, created_at, seen FROM notifications
		WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*safedesk.Notification
	for rows.Next() {
		n := &safedesk.Notification{UserID: userID}
		var at int64
		if err := rows.Scan(&n.ID, &n.Kind, &n.Ref, &n.Params, &at, &n.Read); err != nil {
			return nil, 0, err
		}
		n.CreatedAt = fromMS(at)
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

// MarkNotificationsRead marks all of a user's notifications as seen.
func (s *NotificationService) MarkNotificationsRead(ctx context.Context, userID string) error {
	_, err := s.db.write.ExecContext(ctx, `UPDATE notifications SET seen = $1 WHERE user_id = $2 AND seen = $3`, true, userID, false)
	return err
}

// FindDueSoon returns, for active users, each assigned course whose earliest due date is
// before the given time and not yet past.
func (s *NotificationService) FindDueSoon(ctx context.Context, before time.Time) ([]safedesk.DueReminder, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT u.id, a.course_id, MIN(a.due_at) FROM assignments a
		JOIN users u ON u.id = a.user_id OR (a.team_id IS NOT NULL AND u.team_id = a.team_id)
		WHERE u.active = $1 AND a.due_at > $2 AND a.due_at <= $3
		GROUP BY u.id, a.course_id ORDER BY u.id`, true, ms(s.db.now()), ms(before))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []safedesk.DueReminder
	for rows.Next() {
		var r safedesk.DueReminder
		var due int64
		if err := rows.Scan(&r.UserID, &r.CourseID, &due); err != nil {
			return nil, err
		}
		r.DueAt = fromMS(due)
		out = append(out, r)
	}
	return out, rows.Err()
}
