package http

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"safedesk"
	"safedesk/exam"
)

// reviewQueueLimit bounds the attempts one page of the review queue reads.
const reviewQueueLimit = 200

// reviewItem is one answer waiting for a trainer's decision.
type reviewItem struct {
	AttemptID   string        `json:"attempt_id"`
	QuestionID  string        `json:"question_id"`
	ExamID      string        `json:"exam_id"`
	ExamTitle   string        `json:"exam_title"`
	UserID      string        `json:"user_id"`
	Name        string        `json:"name"`
	Number      int           `json:"attempt_number"`
	SubmittedAt time.Time     `json:"submitted_at"`
	Prompt      string        `json:"prompt"`
	Chat        []apiChatLine `json:"chat,omitempty"`
	Response    string        `json:"response"`
	Accepted    []string      `json:"accepted"`
	Explanation string        `json:"explanation"`
	// Score is the attempt's score now, MaxScore what it would be with every pending
	// answer accepted; PassMark decides.
	Score    float64 `json:"score"`
	MaxScore float64 `json:"max_score"`
	PassMark int     `json:"pass_mark"`
	Pending  int     `json:"pending_review"`
}

// reviewQueue lists the answers waiting for review, oldest submission first; more
// reports that further attempts wait beyond reviewQueueLimit.
func (s *Server) reviewQueue(ctx context.Context, examID, lang string) (items []reviewItem, more bool, err error) {
	atts, err := s.Exams.FindPendingReviews(ctx, examID, reviewQueueLimit+1)
	if err != nil {
		return nil, false, err
	}
	if len(atts) > reviewQueueLimit {
		atts, more = atts[:reviewQueueLimit], true
	}
	exams := map[string]*safedesk.Exam{}
	users := map[string]*safedesk.User{}
	items = []reviewItem{}
	for _, a := range atts {
		e, ok := exams[a.ExamID]
		if !ok {
			if e, err = s.Exams.FindExamByID(ctx, a.ExamID); err != nil {
				return nil, false, err
			}
			exams[a.ExamID] = e
		}
		u, ok := users[a.UserID]
		if !ok {
			if u, err = s.Users.FindUserByID(ctx, a.UserID); err != nil {
				return nil, false, err
			}
			users[a.UserID] = u
		}
		pack, err := s.Catalog.Version(ctx, a.VersionID)
		if err != nil {
			return nil, false, err
		}
		var results []exam.Result
		if err := json.Unmarshal(a.Results, &results); err != nil {
			return nil, false, err
		}
		answers, err := s.Exams.FindAnswers(ctx, a.ID)
		if err != nil {
			return nil, false, err
		}
		sc := exam.ScoreAttempt(results, e.PassMark)
		idx := questionIndex(pack)
		for _, res := range results {
			if !res.NeedsReview {
				continue
			}
			it := reviewItem{AttemptID: a.ID, QuestionID: res.QuestionID, ExamID: e.ID, ExamTitle: e.Title.In(lang), UserID: u.ID,
				Name: u.Name, Number: a.Number, SubmittedAt: a.SubmittedAt, Score: a.Score, MaxScore: sc.MaxPercent,
				PassMark: e.PassMark, Pending: a.Pending, Accepted: []string{}}
			if q := idx[res.QuestionID]; q != nil {
				it.Prompt, it.Explanation = q.Prompt.In(lang), q.Explanation.In(lang)
				for _, c := range q.Chat {
					it.Chat = append(it.Chat, apiChatLine{From: c.From, Text: c.Text.In(lang)})
				}
				it.Accepted = acceptedAnswers(q, a.Lang)
				if raw, ok := answers[q.ID]; ok {
					it.Response = responseText(q, raw)
				}
			}
			items = append(items, it)
		}
	}
	return items, more, nil
}

// acceptedAnswers lists a short question's accepted answers, those of the language the
// trainee answered in first.
func acceptedAnswers(q *safedesk.Question, lang string) []string {
	out := []string{}
	langs := append([]string{lang}, safedesk.Langs...)
	for l := range q.Accept {
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	slices.Sort(langs[1+len(safedesk.Langs):])
	for _, l := range langs {
		for _, a := range q.Accept[l] {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// responseText shows a saved response as text: a short answer as typed, anything else as
// its JSON.
func responseText(q *safedesk.Question, raw json.RawMessage) string {
	if r, err := decodeResponse(q, raw); err == nil && q.Type == safedesk.QuestionShort {
		return r.Text
	}
	return string(raw)
}

// reviewed is the outcome of a review: the attempt regraded, its certificate if it has
// one, and whether this review issued it.
type reviewed struct {
	Attempt     *safedesk.Attempt
	Certificate *safedesk.Certificate
	Issued      bool
}

// reviewAnswer records a trainer's credit (0..1) for an answer waiting for review and
// regrades the attempt in the same transaction; a decided pass of a certification exam
// gets its certificate there too, once.
func (s *Server) reviewAnswer(ctx context.Context, attemptID, questionID string, credit float64) (*reviewed, error) {
	if math.IsNaN(credit) || credit < 0 || credit > 1 {
		return nil, safedesk.Localized(safedesk.EINVALID, "score", "review_score", "The credit is from 0 (wrong) to 1 (right); 0.5 gives half.")
	}
	a, err := s.Exams.FindAttempt(ctx, attemptID)
	if err != nil {
		return nil, err
	}
	e, err := s.Exams.FindExamByID(ctx, a.ExamID)
	if err != nil {
		return nil, err
	}
	holder, err := s.Users.FindUserByID(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	pack, err := s.Catalog.Version(ctx, a.VersionID)
	if err != nil {
		return nil, err
	}
	out := &reviewed{}
	out.Attempt, out.Certificate, err = s.Exams.ReviewAnswer(ctx, safedesk.AnswerReview{AttemptID: a.ID, QuestionID: questionID, Score: credit},
		func(locked *safedesk.Attempt, hasCertificate bool) (*safedesk.Grading, error) {
			var results []exam.Result
			if err := json.Unmarshal(locked.Results, &results); err != nil {
				return nil, err
			}
			i := slices.IndexFunc(results, func(r exam.Result) bool { return r.QuestionID == questionID })
			if i < 0 {
				return nil, safedesk.Localized(safedesk.ENOTFOUND, "", "review_question", "That question is not on this attempt.")
			}
			if !results[i].NeedsReview {
				return nil, safedesk.Localized(safedesk.ECONFLICT, "", "review_done", "This answer has already been reviewed.")
			}
			results[i] = results[i].Reviewed(credit)
			g, err := s.grading(holder, e, locked, pack, results, !hasCertificate)
			if err == nil {
				out.Issued = g.Certificate != nil
			}
			return g, err
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reviewPage is the review queue page.
type reviewPage struct {
	Items  []reviewItem
	Exams  []*safedesk.Exam // exams with answers waiting, for the filter
	ExamID string
	More   bool // more attempts wait than one page shows
}

func (s *Server) handleReviewsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	examID := r.URL.Query().Get("exam")
	items, more, err := s.reviewQueue(ctx, examID, s.lang(r))
	if err != nil {
		return err
	}
	counts, err := s.Exams.CountAttempts(ctx)
	if err != nil {
		return err
	}
	all, err := s.Exams.FindExams(ctx, "")
	if err != nil {
		return err
	}
	p := reviewPage{Items: items, ExamID: examID, More: more}
	for _, e := range all {
		if counts[e.ID].Pending > 0 || e.ID == examID {
			p.Exams = append(p.Exams, e)
		}
	}
	return s.render(w, r, "examadmin_reviews.html", p)
}

// handleReviewForm applies the decision of one review form: accept, reject or partial
// credit in percent.
func (s *Server) handleReviewForm(w http.ResponseWriter, r *http.Request) error {
	var credit float64
	switch r.PostFormValue("decision") {
	case "accept":
		credit = 1
	case "reject":
		credit = 0
	case "partial":
		pct, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(r.PostFormValue("credit"), "%")), 64)
		if err != nil {
			pct = math.NaN()
		}
		credit = pct / 100
		if math.IsNaN(credit) || credit < 0 || credit > 1 {
			return safedesk.Localized(safedesk.EINVALID, "credit", "review_percent", "Give partial credit as a percentage from 0 to 100.")
		}
	default:
		return safedesk.Localized(safedesk.EINVALID, "decision", "review_decision", "Choose accept, reject or partial credit.")
	}
	out, err := s.reviewAnswer(r.Context(), r.PathValue("attemptID"), r.PathValue("questionID"), credit)
	if err != nil {
		return err
	}
	to := "/admin/reviews"
	if ex := r.PostFormValue("exam"); ex != "" {
		to += "?exam=" + url.QueryEscape(ex)
	}
	flash := "reviewed"
	if out.Issued {
		flash = "reviewed_certified"
	}
	return redirect(w, r, to, flash)
}

func (s *Server) handleAPIReviews(w http.ResponseWriter, r *http.Request) error {
	items, _, err := s.reviewQueue(r.Context(), r.URL.Query().Get("exam_id"), s.lang(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items)
	return nil
}

// reviewRequest is the body of POST /api/v1/admin/reviews/{attemptID}/{questionID}.
type reviewRequest struct {
	Score *float64 `json:"score"`
}

// apiReviewed is an attempt's result after a review.
type apiReviewed struct {
	AttemptID   string      `json:"attempt_id"`
	Score       float64     `json:"score"`
	Passed      bool        `json:"passed"`
	Pending     int         `json:"pending_review"`
	Certificate *apiCertRef `json:"certificate"`
	// Issued reports that this review issued the certificate.
	Issued bool `json:"certificate_issued"`
}

func (s *Server) handleAPIReview(w http.ResponseWriter, r *http.Request) error {
	var req reviewRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Score == nil {
		return safedesk.FieldError("score", "Send the credit as score, from 0 (wrong) to 1 (right).")
	}
	res, err := s.reviewAnswer(r.Context(), r.PathValue("attemptID"), r.PathValue("questionID"), *req.Score)
	if err != nil {
		return err
	}
	a := res.Attempt
	out := apiReviewed{AttemptID: a.ID, Score: a.Score, Passed: a.Passed, Pending: a.Pending, Issued: res.Issued}
	if c := res.Certificate; c != nil {
		out.Certificate = &apiCertRef{Code: c.Code, ExpiresAt: c.ExpiresAt}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
