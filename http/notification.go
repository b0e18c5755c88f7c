package http

import (
	"encoding/json"
	"net/http"
	"time"

	"safedesk"
)

// noteView is a notification rendered in the reader's language.
type noteView struct {
	Text string    `json:"text"`
	Link string    `json:"link,omitempty"`
	At   time.Time `json:"at"`
	Read bool      `json:"read"`
	Kind string    `json:"kind"`
}

// describeNotes turns stored notifications (a kind and JSON parameters) into sentences in
// the reader's language, so that one reminder reads right in either language.
func (s *Server) describeNotes(r *http.Request, notes []*safedesk.Notification) []noteView {
	lang := s.lang(r)
	titles := map[string]string{}
	if live, err := s.Catalog.Live(r.Context()); err == nil {
		for _, p := range live {
			titles[p.Pack.ID] = p.Pack.Title.In(lang)
		}
	}
	out := make([]noteView, 0, len(notes))
	for _, n := range notes {
		v := noteView{At: n.CreatedAt, Read: n.Read, Kind: n.Kind}
		switch n.Kind {
		case safedesk.NotifyDueSoon:
			var p struct {
				CourseID string    `json:"course_id"`
				DueAt    time.Time `json:"due_at"`
			}
			json.Unmarshal([]byte(n.Params), &p)
			title := titles[p.CourseID]
			if title == "" {
				title = p.CourseID
			}
			v.Text = tr(lang, "note.due_soon", title, p.DueAt.Format("2006-01-02"))
			v.Link = "/courses/" + p.CourseID
		default:
			v.Text, v.Link = describeCertNote(lang, n, titles)
		}
		out = append(out, v)
	}
	return out
}

func (s *Server) handleNotificationsPage(w http.ResponseWriter, r *http.Request) error {
	notes, _, err := s.Notifications.FindNotifications(r.Context(), currentUser(r).ID, 100)
	if err != nil {
		return err
	}
	return s.render(w, r, "notifications.html", s.describeNotes(r, notes))
}

func (s *Server) handleNotificationsRead(w http.ResponseWriter, r *http.Request) error {
	if err := s.Notifications.MarkNotificationsRead(r.Context(), currentUser(r).ID); err != nil {
		return err
	}
	return redirect(w, r, "/notifications", "")
}

func (s *Server) handleAPINotifications(w http.ResponseWriter, r *http.Request) error {
	notes, unread, err := s.Notifications.FindNotifications(r.Context(), currentUser(r).ID, 100)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"unread": unread, "notifications": s.describeNotes(r, notes)})
	return nil
}
