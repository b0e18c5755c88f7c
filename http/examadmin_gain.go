package http

import (
	"cmp"
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"safedesk"
	"safedesk/exam"
)

// gainReport is the learning gain of a course from a pre-test to a post-test: per
// trainee, per team and for the course, by Hake's normalised gain.
type gainReport struct {
	CourseID string    `json:"course_id"`
	Pretest  *gainExam `json:"pretest"`
	Posttest *gainExam `json:"posttest"`
	// SameBlueprint reports that the two exams draw by the same blueprint, without which
	// the gain compares two different tests.
	SameBlueprint bool           `json:"same_blueprint"`
	Course        exam.GroupGain `json:"course"`
	Teams         []teamGain     `json:"teams"`
	Trainees      []traineeGain  `json:"trainees"`
}

type gainExam struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// teamGain is one team's gain over its trainees with both scores.
type teamGain struct {
	TeamID string `json:"team_id"`
	Team   string `json:"team"`
	exam.GroupGain
}

// traineeGain is one trainee's scores, from their first attempt at each exam.
type traineeGain struct {
	UserID string   `json:"user_id"`
	Name   string   `json:"name"`
	TeamID string   `json:"team_id"`
	Team   string   `json:"team"`
	Pre    *float64 `json:"pre"`
	Post   *float64 `json:"post"`
	Gain   *float64 `json:"gain"`
	// Pending marks a score that a review may still change; such a trainee is left out
	// of the group figures until it is reviewed.
	Pending bool `json:"pending_review"`
}

// gainExams picks the pre-test and post-test of a course: the ones asked for, or else the
// course pack's own (the first of each kind when the pack has none).
func (s *Server) gainExams(ctx context.Context, courseID, preID, postID string) (pre, post *safedesk.Exam, all []*safedesk.Exam, err error) {
	all, err = s.Exams.FindExams(ctx, courseID)
	if err != nil {
		return nil, nil, nil, err
	}
	pick := func(kind, id, field string) (*safedesk.Exam, error) {
		var first *safedesk.Exam
		for _, e := range all {
			if e.Kind != kind {
				continue
			}
			if id != "" && e.ID == id {
				return e, nil
			}
			if first == nil || (e.FromPack() && !first.FromPack()) {
				first = e
			}
		}
		if id != "" {
			return nil, safedesk.Localized(safedesk.EINVALID, field, "gain_exam", "%q is not a %s of this course.", id, kind)
		}
		return first, nil
	}
	if pre, err = pick(safedesk.ExamPretest, preID, "pretest"); err != nil {
		return nil, nil, nil, err
	}
	if post, err = pick(safedesk.ExamPosttest, postID, "posttest"); err != nil {
		return nil, nil, nil, err
	}
	return pre, post, all, nil
}

// learningGain computes the report from every trainee's first submitted attempt at each
// exam; lang names the exams.
func (s *Server) learningGain(ctx context.Context, courseID string, pre, post *safedesk.Exam, lang string) (*gainReport, error) {
	rep := &gainReport{CourseID: courseID, Teams: []teamGain{}, Trainees: []traineeGain{}}
	if pre == nil || post == nil {
		return rep, nil
	}
	rep.Pretest = &gainExam{ID: pre.ID, Title: pre.Title.In(lang)}
	rep.Posttest = &gainExam{ID: post.ID, Title: post.Title.In(lang)}
	rep.SameBlueprint = reflect.DeepEqual(pre.Blueprint, post.Blueprint)
	byUser := map[string]*traineeGain{}
	for i, e := range []*safedesk.Exam{pre, post} {
		atts, err := s.Exams.FindFirstAttempts(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range atts {
			tg := byUser[a.UserID]
			if tg == nil {
				tg = &traineeGain{UserID: a.UserID}
				byUser[a.UserID] = tg
			}
			score := a.Score
			if i == 0 {
				tg.Pre = &score
			} else {
				tg.Post = &score
			}
			tg.Pending = tg.Pending || a.Pending > 0
		}
	}
	users, err := s.usersByID(ctx, byUser)
	if err != nil {
		return nil, err
	}
	teams := map[string]*teamGain{}
	teamPairs := map[string][]exam.GainPair{}
	var all []exam.GainPair
	for id, tg := range byUser {
		if u := users[id]; u != nil {
			tg.Name, tg.TeamID, tg.Team = u.Name, u.TeamID, u.TeamName
		} else {
			tg.Name = id
		}
		if tg.Pre == nil || tg.Post == nil || tg.Pending {
			continue
		}
		if g, ok := exam.Gain(*tg.Pre, *tg.Post); ok {
			tg.Gain = &g
		}
		p := exam.GainPair{Pre: *tg.Pre, Post: *tg.Post}
		all = append(all, p)
		teamPairs[tg.TeamID] = append(teamPairs[tg.TeamID], p)
		if teams[tg.TeamID] == nil {
			teams[tg.TeamID] = &teamGain{TeamID: tg.TeamID, Team: tg.Team}
		}
	}
	rep.Course = exam.GroupGains(all)
	for id, t := range teams {
		t.GroupGain = exam.GroupGains(teamPairs[id])
		rep.Teams = append(rep.Teams, *t)
	}
	slices.SortFunc(rep.Teams, func(a, b teamGain) int {
		return cmp.Or(cmp.Compare(noTeam(a.Team), noTeam(b.Team)), strings.Compare(a.Team, b.Team), strings.Compare(a.TeamID, b.TeamID))
	})
	for _, tg := range byUser {
		rep.Trainees = append(rep.Trainees, *tg)
	}
	slices.SortFunc(rep.Trainees, func(a, b traineeGain) int {
		return cmp.Or(cmp.Compare(noTeam(a.Team), noTeam(b.Team)), strings.Compare(a.Team, b.Team), strings.Compare(a.Name, b.Name),
			strings.Compare(a.UserID, b.UserID))
	})
	return rep, nil
}

// noTeam orders people without a team after the teams.
func noTeam(team string) int {
	if team == "" {
		return 1
	}
	return 0
}

// usersByID looks up the people of the keys of ids: one by one when they are few, else
// by reading the directory a page at a time.
func (s *Server) usersByID(ctx context.Context, ids map[string]*traineeGain) (map[string]*safedesk.User, error) {
	out := make(map[string]*safedesk.User, len(ids))
	if len(ids) <= 50 {
		for id := range ids {
			u, err := s.Users.FindUserByID(ctx, id)
			if err != nil && safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
				return nil, err
			}
			out[id] = u
		}
		return out, nil
	}
	const page = 1000
	for offset := 0; ; offset += page {
		list, total, err := s.Users.FindUsers(ctx, safedesk.UserFilter{Offset: offset, Limit: page})
		if err != nil {
			return nil, err
		}
		for _, u := range list {
			if _, ok := ids[u.ID]; ok {
				out[u.ID] = u
			}
		}
		if len(list) == 0 || offset+len(list) >= total {
			return out, nil
		}
	}
}

func (s *Server) handleAPIGain(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	courseID := r.PathValue("courseID")
	if _, err := s.Catalog.Course(ctx, courseID); err != nil {
		return err
	}
	q := r.URL.Query()
	pre, post, _, err := s.gainExams(ctx, courseID, q.Get("pretest"), q.Get("posttest"))
	if err != nil {
		return err
	}
	rep, err := s.learningGain(ctx, courseID, pre, post, s.lang(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// gainPageLimit bounds the trainees listed on the page; the API lists all.
const gainPageLimit = 500

// gainPage is the learning gain page with its figures formatted.
type gainPage struct {
	Courses             []courseBank
	CourseID            string
	Pretests, Posttests []*safedesk.Exam
	Report              *gainReport
	Course              gainFigures
	Teams               []gainFigures
	Trainees            []traineeView
	More                int // trainees not listed
}

// gainFigures is a group's gain as the page shows it.
type gainFigures struct {
	Team                                             string
	NoTeam                                           bool
	Trainees, Excluded                               int
	MeanPre, MeanPost, GainOfMeans, MeanOfGains, Raw string
}

type traineeView struct {
	traineeGain
	PreText, PostText, GainText string
	NoTeam                      bool
}

func figures(g exam.GroupGain) gainFigures {
	return gainFigures{Trainees: g.Trainees, Excluded: g.Excluded, MeanPre: fixed(g.MeanPre, 1), MeanPost: fixed(g.MeanPost, 1),
		GainOfMeans: fixed(g.GainOfMeans, 2), MeanOfGains: fixed(g.MeanOfGains, 2)}
}

func (s *Server) handleGainPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lang := s.lang(r)
	live, err := s.Catalog.Live(ctx)
	if err != nil {
		return err
	}
	p := gainPage{}
	for _, lp := range live {
		p.Courses = append(p.Courses, courseBank{ID: lp.Pack.ID, Title: lp.Pack.Title.In(lang)})
	}
	q := r.URL.Query()
	p.CourseID = q.Get("course")
	if p.CourseID == "" && len(live) > 0 {
		p.CourseID = live[0].Pack.ID
	}
	if _, err := s.Catalog.Course(ctx, p.CourseID); err != nil {
		return err
	}
	pre, post, all, err := s.gainExams(ctx, p.CourseID, q.Get("pretest"), q.Get("posttest"))
	if err != nil {
		return err
	}
	for _, e := range all {
		switch e.Kind {
		case safedesk.ExamPretest:
			p.Pretests = append(p.Pretests, e)
		case safedesk.ExamPosttest:
			p.Posttests = append(p.Posttests, e)
		}
	}
	if p.Report, err = s.learningGain(ctx, p.CourseID, pre, post, lang); err != nil {
		return err
	}
	p.Course = figures(p.Report.Course)
	for _, t := range p.Report.Teams {
		f := figures(t.GroupGain)
		f.Team, f.NoTeam = t.Team, t.Team == ""
		p.Teams = append(p.Teams, f)
	}
	for i, tg := range p.Report.Trainees {
		if i == gainPageLimit {
			p.More = len(p.Report.Trainees) - i
			break
		}
		p.Trainees = append(p.Trainees, traineeView{traineeGain: tg, PreText: fixed(tg.Pre, 1), PostText: fixed(tg.Post, 1),
			GainText: fixed(tg.Gain, 2), NoTeam: tg.Team == ""})
	}
	return s.render(w, r, "examadmin_gain.html", p)
}
