package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"safedesk"
	"safedesk/exam"
)

// examPageData is the exam's landing page: rules, past attempts, and the start button.
type examPageData struct {
	Exam     *safedesk.Exam
	Summary  apiExam
	Attempts []*safedesk.Attempt
	Minutes  int
}

func (s *Server) handleExamPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.examFor(r, r.PathValue("examID"))
	if err != nil {
		return err
	}
	u := currentUser(r)
	sum, err := s.examSummary(r.Context(), e, u, s.lang(r))
	if err != nil {
		return err
	}
	atts, err := s.Exams.FindUserAttempts(r.Context(), e.ID, u.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, "exam.html", examPageData{Exam: e, Summary: sum, Attempts: atts, Minutes: (sum.TimeLimitSeconds + 59) / 60})
}

func (s *Server) handleAttemptStartForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.examFor(r, r.PathValue("examID"))
	if err != nil {
		return err
	}
	m, err := s.startAttempt(r, e)
	if err != nil {
		if m != nil && safedesk.ErrorCode(err) == safedesk.ECONFLICT {
			return redirect(w, r, "/attempts/"+m.attempt.ID, "")
		}
		return err
	}
	return redirect(w, r, "/attempts/"+m.attempt.ID, "")
}

// pageQuestion is a question on the attempt page with the saved answer spread out for the
// form controls.
type pageQuestion struct {
	apiQuestion
	N        int
	Chosen   map[string]bool // option ids chosen (single, truefalse, multiple)
	Text     string          // short answer
	Order    []string        // ordering: option id per position
	Matches  []string        // matching: option id per pair
	Position []int           // 1..len(options), for ordering selects
	KeyText  string          // the right answer in words, once the review may show it
}

// keyText says the right answer of q in words.
func keyText(q *safedesk.Question, lang string) string {
	text := map[string]string{}
	for _, o := range q.Options {
		text[o.ID] = o.Text.In(lang)
	}
	k := exam.Key(q, lang)
	switch q.Type {
	case safedesk.QuestionSingle, safedesk.QuestionTrueFalse:
		return text[k.Option]
	case safedesk.QuestionShort:
		return k.Text
	case safedesk.QuestionMatching:
		var parts []string
		for _, p := range q.Pairs {
			parts = append(parts, p.Text.In(lang)+" → "+text[k.Pairs[p.ID]])
		}
		return strings.Join(parts, "；")
	}
	var parts []string
	for _, id := range k.Options {
		parts = append(parts, text[id])
	}
	sep := "；"
	if q.Type == safedesk.QuestionOrdering {
		sep = " → "
	}
	return strings.Join(parts, sep)
}

type attemptPageData struct {
	Attempt   *safedesk.Attempt
	Exam      *safedesk.Exam
	Questions []pageQuestion
	Result    *apiResult
	Deadline  string
	Answered  int
}

func (s *Server) handleAttemptPage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.ownAttempt(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a, err := s.Exams.FindAttempt(ctx, m.attempt.ID)
	if err != nil {
		return err
	}
	e, err := s.Exams.FindExamByID(ctx, a.ExamID)
	if err != nil {
		return err
	}
	// An attempt whose time is up is closed on sight rather than waiting for the job.
	if !a.Submitted() && s.Clock.Now().After(a.Deadline.Add(submitGrace)) {
		if a, _, err = s.submit(ctx, m, true); err != nil {
			return err
		}
	}
	answers, err := s.Exams.FindAnswers(ctx, a.ID)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	d := attemptPageData{Attempt: a, Exam: e, Deadline: a.Deadline.Format(time.RFC3339)}
	idx := questionIndex(m.pack)
	for i := range m.paper.Items {
		it := &m.paper.Items[i]
		q := idx[it.QuestionID]
		if q == nil {
			continue
		}
		pq := pageQuestion{apiQuestion: viewQuestion(q, it, lang), N: len(d.Questions) + 1, Chosen: map[string]bool{}}
		for p := range pq.Options {
			pq.Position = append(pq.Position, p+1)
		}
		if raw, ok := answers[q.ID]; ok {
			d.Answered++
			if resp, err := decodeResponse(q, raw); err == nil {
				pq.Chosen[resp.Option] = true
				for _, o := range resp.Options {
					pq.Chosen[o] = true
				}
				pq.Text, pq.Order = resp.Text, resp.Options
				if q.Type == safedesk.QuestionMatching {
					if v, ok := apiResponse(q, resp).([]string); ok {
						pq.Matches = v
					}
				}
			}
		}
		d.Questions = append(d.Questions, pq)
	}
	if a.Submitted() {
		if d.Result, err = s.result(ctx, e, a, m, nil, nil, lang); err != nil {
			return err
		}
		if len(d.Result.Review) > 0 {
			for i := range d.Questions {
				d.Questions[i].KeyText = keyText(idx[d.Questions[i].ID], lang)
			}
		}
	}
	return s.render(w, r, "attempt.html", d)
}

// formResponse reads one question's answer from the no-script form.
func formResponse(q *safedesk.Question, form map[string][]string) (json.RawMessage, bool) {
	key := "q:" + q.ID
	var v any
	switch q.Type {
	case safedesk.QuestionSingle, safedesk.QuestionTrueFalse:
		if len(form[key]) == 0 || form[key][0] == "" {
			return nil, false
		}
		v = form[key][0]
	case safedesk.QuestionMultiple:
		if len(form[key]) == 0 {
			return nil, false
		}
		v = form[key]
	case safedesk.QuestionShort:
		t := strings.TrimSpace(strings.Join(form[key], ""))
		if t == "" {
			return nil, false
		}
		v = t
	case safedesk.QuestionOrdering, safedesk.QuestionMatching:
		n := len(q.Options)
		if q.Type == safedesk.QuestionMatching {
			n = len(q.Pairs)
		}
		list, any := make([]string, n), false
		for i := range n {
			if vals := form[key+":"+strconv.Itoa(i)]; len(vals) > 0 && vals[0] != "" {
				list[i], any = vals[0], true
			}
		}
		if !any {
			return nil, false
		}
		if q.Type == safedesk.QuestionOrdering {
			compact := list[:0]
			for _, id := range list {
				if id != "" {
					compact = append(compact, id)
				}
			}
			list = compact
		}
		v = list
	}
	b, err := json.Marshal(v)
	return b, err == nil
}

// handleAttemptForm saves every answer of the page (for browsers without script) and, when
// asked, submits.
func (s *Server) handleAttemptForm(w http.ResponseWriter, r *http.Request) error {
	m, err := s.ownAttempt(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return safedesk.Errorf(safedesk.EINVALID, "The form could not be read.")
	}
	idx := questionIndex(m.pack)
	for _, it := range m.paper.Items {
		q := idx[it.QuestionID]
		if q == nil {
			continue
		}
		raw, ok := formResponse(q, r.PostForm)
		if !ok {
			continue
		}
		if _, err := decodeResponse(q, raw); err != nil {
			return err
		}
		if err := s.Exams.SaveAnswer(r.Context(), m.attempt.ID, m.attempt.UserID, q.ID, raw); err != nil {
			if safedesk.ErrorCode(err) == safedesk.ECONFLICT {
				break // time is up or already submitted: show the result
			}
			return err
		}
	}
	if r.PostFormValue("submit") != "" {
		if _, _, err := s.submit(r.Context(), m, false); err != nil {
			return err
		}
	}
	return redirect(w, r, "/attempts/"+m.attempt.ID, "")
}

func (s *Server) handleAttemptSubmitForm(w http.ResponseWriter, r *http.Request) error {
	m, err := s.ownAttempt(r)
	if err != nil {
		return err
	}
	if _, _, err := s.submit(r.Context(), m, false); err != nil {
		return err
	}
	return redirect(w, r, "/attempts/"+m.attempt.ID, "")
}
