package http

import (
	"context"
	"html/template"
	"net/http"
	"time"

	"safedesk"
	"safedesk/content"
)

// courseProgress is one learner's progress through one course, computed from the lesson
// records and the live pack (so it follows the version the learner now sees).
type courseProgress struct {
	Read     map[string]bool `json:"-"`
	Position map[string]int  `json:"-"`
	Chapters map[string]int  `json:"chapters"` // chapter id → percent of lessons read
	Percent  int             `json:"percent"`
	ReadN    int             `json:"read"`
	Total    int             `json:"total"`
	Resume   string          `json:"resume,omitempty"` // lesson to continue with
}

func (s *Server) progressOf(ctx context.Context, userID string, p *content.LivePack) (*courseProgress, error) {
	recs, err := s.Courses.FindProgress(ctx, userID, p.Pack.ID)
	if err != nil {
		return nil, err
	}
	cp := &courseProgress{Read: map[string]bool{}, Position: map[string]int{}, Chapters: map[string]int{}}
	for _, rec := range recs {
		cp.Read[rec.LessonID] = rec.Read
		cp.Position[rec.LessonID] = rec.Position
	}
	// Resume at the most recently touched lesson that is unread, else the first unread one.
	for _, rec := range recs { // newest first
		if !rec.Read && p.Pack.Lesson(rec.LessonID) != nil {
			cp.Resume = rec.LessonID
			break
		}
	}
	for _, ch := range p.Pack.Chapters {
		n := 0
		for _, l := range ch.Lessons {
			if cp.Read[l.ID] {
				n++
			} else if cp.Resume == "" {
				cp.Resume = l.ID
			}
		}
		cp.Chapters[ch.ID] = percent(n, len(ch.Lessons))
		cp.ReadN += n
		cp.Total += len(ch.Lessons)
	}
	cp.Percent = percent(cp.ReadN, cp.Total)
	return cp, nil
}

// homeCourse is a course on the home page.
type homeCourse struct {
	Pack     *content.LivePack
	DueAt    time.Time
	Assigned bool
	Overdue  bool
	Progress *courseProgress
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(r)
	live, err := s.Catalog.Live(ctx)
	if err != nil {
		return err
	}
	due, err := s.Courses.FindUserAssignments(ctx, u.ID)
	if err != nil {
		return err
	}
	dueBy := map[string]time.Time{}
	for _, d := range due {
		dueBy[d.CourseID] = d.DueAt
	}
	var courses []homeCourse
	for _, p := range live {
		prog, err := s.progressOf(ctx, u.ID, p)
		if err != nil {
			return err
		}
		d, assigned := dueBy[p.Pack.ID]
		courses = append(courses, homeCourse{Pack: p, DueAt: d, Assigned: assigned,
			Overdue: assigned && d.Before(s.Clock.Now()) && prog.Percent < 100, Progress: prog})
	}
	notes, _, err := s.Notifications.FindNotifications(ctx, u.ID, 5)
	if err != nil {
		return err
	}
	var exams []apiExam
	if s.Exams != nil {
		mine, err := s.assignedExams(ctx, u)
		if err != nil {
			return err
		}
		for _, e := range mine {
			v, err := s.examSummary(ctx, e, u, s.lang(r))
			if err != nil {
				return err
			}
			exams = append(exams, v)
		}
	}
	return s.render(w, r, "home.html", map[string]any{"Courses": courses, "Exams": exams, "Notes": s.describeNotes(r, notes)})
}

func (s *Server) handleCoursePage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Catalog.Course(r.Context(), r.PathValue("courseID"))
	if err != nil {
		return err
	}
	prog, err := s.progressOf(r.Context(), currentUser(r).ID, p)
	if err != nil {
		return err
	}
	return s.render(w, r, "course.html", map[string]any{"Course": p, "Progress": prog})
}

// lessonView is a lesson ready for its page.
type lessonView struct {
	Course  *content.LivePack
	Chapter *safedesk.Chapter
	Lesson  *safedesk.Lesson
	Text    *safedesk.LessonText
	Body    template.HTML
	Prev    *safedesk.Lesson
	Next    *safedesk.Lesson
	Related []*safedesk.Lesson
	Read    bool
	Pos     int
}

func (s *Server) lessonView(r *http.Request, lang string) (*lessonView, error) {
	p, err := s.Catalog.Course(r.Context(), r.PathValue("courseID"))
	if err != nil {
		return nil, err
	}
	id := r.PathValue("lessonID")
	v := &lessonView{Course: p}
	var flat []*safedesk.Lesson
	for _, ch := range p.Pack.Chapters {
		for _, l := range ch.Lessons {
			if l.ID == id {
				v.Chapter, v.Lesson = ch, l
			}
			flat = append(flat, l)
		}
	}
	if v.Lesson == nil {
		return nil, safedesk.Errorf(safedesk.ENOTFOUND, "Lesson not found.")
	}
	for i, l := range flat {
		if l.ID == id {
			if i > 0 {
				v.Prev = flat[i-1]
			}
			if i+1 < len(flat) {
				v.Next = flat[i+1]
			}
		}
	}
	for _, rid := range v.Lesson.Related {
		if l := p.Pack.Lesson(rid); l != nil {
			v.Related = append(v.Related, l)
		}
	}
	v.Text = v.Lesson.In(lang)
	v.Body, err = s.md.render(p.Version.ID+"/"+id+"/"+lang, p.Pack.ID, v.Text.Body)
	return v, err
}

func (s *Server) handleLessonPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.lessonView(r, s.lang(r))
	if err != nil {
		return err
	}
	ctx := r.Context()
	u := currentUser(r)
	prog, err := s.progressOf(ctx, u.ID, v.Course)
	if err != nil {
		return err
	}
	v.Read, v.Pos = prog.Read[v.Lesson.ID], prog.Position[v.Lesson.ID]
	// Opening a lesson records where the learner stopped.
	if !v.Read {
		if err := s.Courses.SaveProgress(ctx, &safedesk.Progress{UserID: u.ID, CourseID: v.Course.Pack.ID, LessonID: v.Lesson.ID}); err != nil {
			return err
		}
	}
	return s.render(w, r, "lesson.html", v)
}

// handleProgressForm marks a lesson read from its page's button and moves on to the next.
func (s *Server) handleProgressForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.lessonView(r, s.lang(r))
	if err != nil {
		return err
	}
	p := &safedesk.Progress{UserID: currentUser(r).ID, CourseID: v.Course.Pack.ID, LessonID: v.Lesson.ID, Read: true, Position: 100}
	if err := s.Courses.SaveProgress(r.Context(), p); err != nil {
		return err
	}
	if v.Next != nil {
		return redirect(w, r, "/courses/"+v.Course.Pack.ID+"/lessons/"+v.Next.ID, "")
	}
	return redirect(w, r, "/courses/"+v.Course.Pack.ID, "course_done")
}

// API shapes of ../shared/contracts/api.md "Courses".
type apiLessonRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type apiChapter struct {
	ID      string         `json:"id"`
	Title   string         `json:"title"`
	Lessons []apiLessonRef `json:"lessons"`
}

type apiCourse struct {
	ID       string       `json:"id"`
	Version  string       `json:"version"`
	Title    string       `json:"title"`
	DueAt    *time.Time   `json:"due_at,omitempty"`
	Chapters []apiChapter `json:"chapters"`
}

func (s *Server) handleAPICourses(w http.ResponseWriter, r *http.Request) error {
	lang := s.lang(r)
	live, err := s.Catalog.Live(r.Context())
	if err != nil {
		return err
	}
	due, err := s.Courses.FindUserAssignments(r.Context(), currentUser(r).ID)
	if err != nil {
		return err
	}
	out := []apiCourse{}
	for _, p := range live {
		c := apiCourse{ID: p.Pack.ID, Version: p.Pack.Version, Title: p.Pack.Title.In(lang), Chapters: []apiChapter{}}
		for _, d := range due {
			if d.CourseID == p.Pack.ID {
				t := d.DueAt
				c.DueAt = &t
			}
		}
		for _, ch := range p.Pack.Chapters {
			ac := apiChapter{ID: ch.ID, Title: ch.Title.In(lang), Lessons: []apiLessonRef{}}
			for _, l := range ch.Lessons {
				ac.Lessons = append(ac.Lessons, apiLessonRef{ID: l.ID, Title: l.In(lang).Title})
			}
			c.Chapters = append(c.Chapters, ac)
		}
		out = append(out, c)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handleAPILesson(w http.ResponseWriter, r *http.Request) error {
	lang := s.lang(r)
	v, err := s.lessonView(r, lang)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": v.Lesson.ID, "chapter": v.Chapter.ID, "title": v.Text.Title, "minutes": v.Lesson.Minutes,
		"objectives": v.Text.Objectives, "summary": v.Text.Summary, "related": v.Lesson.Related,
		"markdown": v.Text.Body, "html": string(v.Body),
	})
	return nil
}

func (s *Server) handleAPIProgress(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Catalog.Course(r.Context(), r.PathValue("courseID"))
	if err != nil {
		return err
	}
	prog, err := s.progressOf(r.Context(), currentUser(r).ID, p)
	if err != nil {
		return err
	}
	lessons := map[string]map[string]any{}
	for id, read := range prog.Read {
		lessons[id] = map[string]any{"read": read, "position": prog.Position[id]}
	}
	writeJSON(w, http.StatusOK, map[string]any{"course_id": p.Pack.ID, "percent": prog.Percent, "read": prog.ReadN,
		"total": prog.Total, "chapters": prog.Chapters, "resume": prog.Resume, "lessons": lessons})
	return nil
}

// progressRequest is the body of PUT …/progress; the page's script sends it as the learner
// scrolls.
type progressRequest struct {
	Read     bool `json:"read"`
	Position int  `json:"position"`
}

func (s *Server) handleAPIProgressSave(w http.ResponseWriter, r *http.Request) error {
	var req progressRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	v, err := s.lessonView(r, safedesk.DefaultLang)
	if err != nil {
		return err
	}
	p := &safedesk.Progress{UserID: currentUser(r).ID, CourseID: v.Course.Pack.ID, LessonID: v.Lesson.ID, Read: req.Read, Position: req.Position}
	if err := s.Courses.SaveProgress(r.Context(), p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"lesson_id": p.LessonID, "read": p.Read, "position": p.Position})
	return nil
}

func (s *Server) handleAPIMyAssignments(w http.ResponseWriter, r *http.Request) error {
	due, err := s.Courses.FindUserAssignments(r.Context(), currentUser(r).ID)
	if err != nil {
		return err
	}
	if due == nil {
		due = []*safedesk.DueAssignment{}
	}
	writeJSON(w, http.StatusOK, due)
	return nil
}
