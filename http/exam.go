package http

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"safedesk"
	"safedesk/exam"
)

// Certifier signs, verifies and prints certificates; cmd/safedesk wires it to the cert
// package.
type Certifier interface {
	// Issue signs the certificate of a passed attempt.
	Issue(holder *safedesk.User, e *safedesk.Exam, a *safedesk.Attempt, p *safedesk.Pack, now time.Time) (*safedesk.Certificate, error)
	// Verify checks a stored certificate's signature and returns its status at now.
	Verify(c *safedesk.Certificate, now time.Time) (string, error)
	// RenderPDF writes the printable certificate with a QR code to verifyURL.
	RenderPDF(w io.Writer, c *safedesk.Certificate, verifyURL string) error
	// KeySet returns the public keys as a JSON key set.
	KeySet() ([]byte, error)
	// NormalizeCode tidies a code a person typed, or says why it cannot be one.
	NormalizeCode(s string) (string, error)
	// MaskName hides most of a holder's name for public display (张*三, J*** Smith).
	MaskName(name string) string
}

// submitGrace is how long after its deadline an attempt still takes a submission, for the
// last answers in flight; after it the attempt is submitted automatically.
const submitGrace = 30 * time.Second

// attemptMeta is what never changes about an attempt, cached so that an answer save costs
// one write and no read.
type attemptMeta struct {
	attempt *safedesk.Attempt
	paper   exam.Paper
	pack    *safedesk.Pack
	onPaper map[string]bool
}

// attemptCache holds attemptMeta by id. It is bounded: past attemptCacheLimit entries it
// starts afresh, which costs one read per attempt and keeps a long-running node's memory flat.
type attemptCache struct {
	mu sync.Mutex
	m  map[string]*attemptMeta
}

const attemptCacheLimit = 50000

func (c *attemptCache) load(id string) *attemptMeta {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[id]
}

func (c *attemptCache) store(id string, m *attemptMeta) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= attemptCacheLimit {
		c.m = make(map[string]*attemptMeta)
	}
	c.m[id] = m
}

func (s *Server) attemptMeta(ctx context.Context, id string) (*attemptMeta, error) {
	if m := s.attempts.load(id); m != nil {
		return m, nil
	}
	a, err := s.Exams.FindAttempt(ctx, id)
	if err != nil {
		return nil, err
	}
	pack, err := s.Catalog.Version(ctx, a.VersionID)
	if err != nil {
		return nil, err
	}
	return s.cacheAttempt(a, pack)
}

// cacheAttempt parses an attempt's paper and keeps it with the pack it was drawn from.
func (s *Server) cacheAttempt(a *safedesk.Attempt, pack *safedesk.Pack) (*attemptMeta, error) {
	var paper exam.Paper
	if err := json.Unmarshal(a.Paper, &paper); err != nil {
		return nil, err
	}
	return s.keepAttempt(a, paper, pack), nil
}

// keepAttempt keeps an attempt with its paper and the pack it was drawn from.
func (s *Server) keepAttempt(a *safedesk.Attempt, paper exam.Paper, pack *safedesk.Pack) *attemptMeta {
	m := &attemptMeta{attempt: a, paper: paper, pack: pack, onPaper: make(map[string]bool, len(paper.Items))}
	for _, it := range paper.Items {
		m.onPaper[it.QuestionID] = true
	}
	s.attempts.store(a.ID, m)
	return m
}

// ownAttempt returns the caller's attempt. Reaching for someone else's is refused and
// audited: attempt ids are not guessable, so it means a copied link at best and an attempt
// to read or change another person's answers at worst.
func (s *Server) ownAttempt(r *http.Request) (*attemptMeta, error) {
	m, err := s.attemptMeta(r.Context(), r.PathValue("attemptID"))
	if err != nil {
		return nil, err
	}
	if m.attempt.UserID != currentUser(r).ID {
		if err := s.Audit.Record(r.Context(), safedesk.AuditAttemptDenied, m.attempt.ID,
			map[string]string{"method": r.Method, "path": r.URL.Path}); err != nil {
			return nil, err
		}
		return nil, safedesk.Localized(safedesk.EFORBIDDEN, "", "attempt_not_yours", "This attempt belongs to someone else.")
	}
	return m, nil
}

// assignedExams returns the exams of the courses assigned to the user.
func (s *Server) assignedExams(ctx context.Context, u *safedesk.User) ([]*safedesk.Exam, error) {
	due, err := s.Courses.FindUserAssignments(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	var out []*safedesk.Exam
	for _, d := range due {
		es, err := s.Exams.FindExams(ctx, d.CourseID)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}

// examFor returns an exam the caller may sit: one of an assigned course, or any for staff.
func (s *Server) examFor(r *http.Request, id string) (*safedesk.Exam, error) {
	u := currentUser(r)
	e, err := s.Exams.FindExamByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if u.Role == safedesk.RoleTrainee {
		// The exams a trainee may sit are those of their assigned courses.
		due, err := s.Courses.FindUserAssignments(r.Context(), u.ID)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(due, func(d *safedesk.DueAssignment) bool { return d.CourseID == e.CourseID }) {
			return nil, safedesk.Errorf(safedesk.ENOTFOUND, "Exam not found.")
		}
	}
	return e, nil
}

// apiExam is an exam in the trainee's list.
type apiExam struct {
	ID               string   `json:"id"`
	CourseID         string   `json:"course_id"`
	Kind             string   `json:"kind"`
	Title            string   `json:"title"`
	PassMark         int      `json:"pass_mark"`
	TimeLimitSeconds int      `json:"time_limit_seconds"`
	Questions        int      `json:"questions"`
	AttemptsLeft     *int     `json:"attempts_left"` // null: unlimited
	InProgress       string   `json:"in_progress,omitempty"`
	BestScore        *float64 `json:"best_score,omitempty"`
	Passed           bool     `json:"passed"`
}

func (s *Server) examSummary(ctx context.Context, e *safedesk.Exam, u *safedesk.User, lang string) (apiExam, error) {
	v := apiExam{ID: e.ID, CourseID: e.CourseID, Kind: e.Kind, Title: e.Title.In(lang), PassMark: e.PassMark,
		TimeLimitSeconds: int(e.TimeLimit / time.Second), Questions: e.Spec().QuestionCount()}
	// The time shown is the person's own: their accommodation stretches it.
	acc, err := s.Exams.FindAccommodation(ctx, e.ID, u.ID)
	if err != nil {
		return v, err
	}
	start := s.Clock.Now().Truncate(time.Second) // deadlines are whole seconds
	v.TimeLimitSeconds = int(exam.Deadline(start, int(e.TimeLimit/time.Minute), acc).Sub(start) / time.Second)
	atts, err := s.Exams.FindUserAttempts(ctx, e.ID, u.ID)
	if err != nil {
		return v, err
	}
	if e.Attempts > 0 {
		left := max(0, e.Attempts-safedesk.AttemptsUsed(atts))
		v.AttemptsLeft = &left
	}
	now := s.Clock.Now()
	for _, a := range atts {
		if !a.Submitted() && now.Before(a.Deadline) {
			v.InProgress = a.ID
		}
		if a.Submitted() {
			if v.BestScore == nil || a.Score > *v.BestScore {
				sc := a.Score
				v.BestScore = &sc
			}
			v.Passed = v.Passed || a.Passed
		}
	}
	return v, nil
}

func (s *Server) handleAPIExams(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	exams, err := s.assignedExams(r.Context(), u)
	if err != nil {
		return err
	}
	out := []apiExam{}
	for _, e := range exams {
		v, err := s.examSummary(r.Context(), e, u, s.lang(r))
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// startAttempt draws a paper and stores the attempt; an attempt already running is
// returned with ECONFLICT.
func (s *Server) startAttempt(r *http.Request, e *safedesk.Exam) (*attemptMeta, error) {
	ctx := r.Context()
	u := currentUser(r)
	now := s.Clock.Now()
	if (!e.OpensAt.IsZero() && now.Before(e.OpensAt)) || (!e.ClosesAt.IsZero() && !now.Before(e.ClosesAt)) {
		return nil, safedesk.Localized(safedesk.ECONFLICT, "", "exam_closed", "This exam is not open now.")
	}
	live, err := s.Catalog.Course(ctx, e.CourseID)
	if err != nil {
		return nil, err
	}
	usage, err := s.Exams.QuestionUsage(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	var previous []string
	if atts, err := s.Exams.FindUserAttempts(ctx, e.ID, u.ID); err != nil {
		return nil, err
	} else if len(atts) > 0 {
		var p exam.Paper
		json.Unmarshal(atts[0].Paper, &p)
		previous = p.QuestionIDs()
	}
	paper, err := exam.Draw(e.Spec(), live.Pack.Questions, usage, previous, rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())))
	if err != nil {
		return nil, err
	}
	pb, err := json.Marshal(paper)
	if err != nil {
		return nil, err
	}
	// A person's accommodation stretches the time limit; the window's close still ends it.
	acc, err := s.Exams.FindAccommodation(ctx, e.ID, u.ID)
	if err != nil {
		return nil, err
	}
	deadline := exam.Deadline(now, int(e.TimeLimit/time.Minute), acc)
	a := &safedesk.Attempt{ExamID: e.ID, UserID: u.ID, VersionID: live.Version.ID, Paper: pb, Lang: s.lang(r), Deadline: deadline}
	if !e.ClosesAt.IsZero() && a.Deadline.After(e.ClosesAt) {
		a.Deadline = e.ClosesAt
	}
	got, err := s.Exams.StartAttempt(ctx, a, e)
	if err != nil {
		if got != nil {
			if m, merr := s.attemptMeta(ctx, got.ID); merr == nil {
				return m, err
			}
		}
		return nil, err
	}
	// The new attempt is the one just drawn: no need to read it back or parse its paper.
	return s.keepAttempt(got, paper, live.Pack), nil
}

// apiAttempt is an attempt as its trainee sees it.
type apiAttempt struct {
	ID        string                     `json:"id"`
	ExamID    string                     `json:"exam_id"`
	Deadline  time.Time                  `json:"deadline"`
	Submitted bool                       `json:"submitted"`
	Questions []apiQuestion              `json:"questions"`
	Answers   map[string]json.RawMessage `json:"answers,omitempty"`
	Result    *apiResult                 `json:"result,omitempty"`
}

func (m *attemptMeta) view(lang string) apiAttempt {
	v := apiAttempt{ID: m.attempt.ID, ExamID: m.attempt.ExamID, Deadline: m.attempt.Deadline, Questions: []apiQuestion{}}
	idx := questionIndex(m.pack)
	for i := range m.paper.Items {
		it := &m.paper.Items[i]
		if q := idx[it.QuestionID]; q != nil {
			v.Questions = append(v.Questions, viewQuestion(q, it, lang))
		}
	}
	return v
}

func (s *Server) handleAPIAttemptStart(w http.ResponseWriter, r *http.Request) error {
	e, err := s.examFor(r, r.PathValue("examID"))
	if err != nil {
		return err
	}
	m, err := s.startAttempt(r, e)
	if err != nil {
		if m != nil && safedesk.ErrorCode(err) == safedesk.ECONFLICT {
			writeJSON(w, http.StatusConflict, map[string]any{"error": s.classify(r, err), "attempt_id": m.attempt.ID})
			return nil
		}
		return err
	}
	writeJSON(w, http.StatusCreated, m.view(m.attempt.Lang))
	return nil
}

// answerRequest is the body of PUT …/answers/{questionID}.
type answerRequest struct {
	Response json.RawMessage `json:"response"`
}

func (s *Server) handleAPIAnswerSave(w http.ResponseWriter, r *http.Request) error {
	m, err := s.ownAttempt(r)
	if err != nil {
		return err
	}
	qid := r.PathValue("questionID")
	q := questionIndex(m.pack)[qid]
	if q == nil || !m.onPaper[qid] {
		return safedesk.Errorf(safedesk.ENOTFOUND, "That question is not on this paper.")
	}
	var req answerRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if len(req.Response) == 0 {
		return safedesk.FieldError("response", "Send the answer as response.")
	}
	if _, err := decodeResponse(q, req.Response); err != nil {
		return err
	}
	var compact json.RawMessage
	if b, err := json.Marshal(req.Response); err == nil {
		compact = b
	}
	if err := s.Exams.SaveAnswer(r.Context(), m.attempt.ID, m.attempt.UserID, qid, compact); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"question_id": qid, "saved": true})
	return nil
}

func (s *Server) handleAPIAttempt(w http.ResponseWriter, r *http.Request) error {
	m, err := s.ownAttempt(r)
	if err != nil {
		return err
	}
	a, err := s.Exams.FindAttempt(r.Context(), m.attempt.ID)
	if err != nil {
		return err
	}
	answers, err := s.Exams.FindAnswers(r.Context(), a.ID)
	if err != nil {
		return err
	}
	v := m.view(s.lang(r))
	v.Submitted, v.Answers = a.Submitted(), answers
	if a.Submitted() {
		e, err := s.Exams.FindExamByID(r.Context(), a.ExamID)
		if err != nil {
			return err
		}
		res, err := s.result(r.Context(), e, a, m, nil, nil, s.lang(r))
		if err != nil {
			return err
		}
		v.Result = res
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) handleAPIAttemptSubmit(w http.ResponseWriter, r *http.Request) error {
	m, err := s.ownAttempt(r)
	if err != nil {
		return err
	}
	a, cert, answers, err := s.submitGraded(r.Context(), m, false)
	if err != nil {
		return err
	}
	e, err := s.Exams.FindExamByID(r.Context(), a.ExamID)
	if err != nil {
		return err
	}
	res, err := s.result(r.Context(), e, a, m, cert, answers, s.lang(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// submit grades an attempt; auto marks the submission made at the deadline.
func (s *Server) submit(ctx context.Context, m *attemptMeta, auto bool) (*safedesk.Attempt, *safedesk.Certificate, error) {
	a, cert, _, err := s.submitGraded(ctx, m, auto)
	return a, cert, err
}

// submitGraded is submit that also returns the answers the attempt was graded on, read in
// the grading transaction, so that showing the result need not read them again; they are
// nil when the attempt had been submitted before.
func (s *Server) submitGraded(ctx context.Context, m *attemptMeta, auto bool) (*safedesk.Attempt, *safedesk.Certificate, map[string]json.RawMessage, error) {
	e, err := s.Exams.FindExamByID(ctx, m.attempt.ExamID)
	if err != nil {
		return nil, nil, nil, err
	}
	holder, err := s.Users.FindUserByID(ctx, m.attempt.UserID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !auto && s.Clock.Now().After(m.attempt.Deadline.Add(submitGrace)) {
		auto = true // the deadline passed: the answers saved in time are what counts
	}
	grade := s.gradeFunc(holder, e, m)
	var graded map[string]json.RawMessage
	a, cert, err := s.Exams.SubmitAttempt(ctx, m.attempt.ID, auto, func(a *safedesk.Attempt, answers map[string]json.RawMessage) (*safedesk.Grading, error) {
		graded = answers
		return grade(a, answers)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return a, cert, graded, nil
}

// gradeFunc grades the saved answers of an attempt and, for a decided pass of a
// certification exam, issues the certificate, all inside the store's transaction.
func (s *Server) gradeFunc(holder *safedesk.User, e *safedesk.Exam, m *attemptMeta) safedesk.GradeFunc {
	return func(a *safedesk.Attempt, answers map[string]json.RawMessage) (*safedesk.Grading, error) {
		idx := questionIndex(m.pack)
		results := make([]exam.Result, 0, len(m.paper.Items))
		for _, it := range m.paper.Items {
			q := idx[it.QuestionID]
			if q == nil {
				results = append(results, exam.Result{QuestionID: it.QuestionID})
				continue
			}
			var resp exam.Response
			if raw, ok := answers[q.ID]; ok {
				resp, _ = decodeResponse(q, raw) // checked when saved
			}
			results = append(results, exam.Grade(q, resp, e.MultipleChoice, a.Lang))
		}
		return s.grading(holder, e, a, m.pack, results, true)
	}
}

// grading scores an attempt's results and, when issue is set and the attempt is a decided
// pass of a certification exam, issues its certificate. Submission and the review of an
// answer (which regrades) share it, so both apply the same rule.
func (s *Server) grading(holder *safedesk.User, e *safedesk.Exam, a *safedesk.Attempt, pack *safedesk.Pack, results []exam.Result, issue bool) (*safedesk.Grading, error) {
	sc := exam.ScoreAttempt(results, e.PassMark)
	rb, err := json.Marshal(results)
	if err != nil {
		return nil, err
	}
	g := &safedesk.Grading{Score: sc.Percent, Passed: sc.Passed && sc.Decided, Pending: sc.Pending, Results: rb}
	if issue && g.Passed && e.Kind == safedesk.ExamCertification && s.Certifier != nil && s.drillsMet(holder.ID, e) {
		c, err := s.Certifier.Issue(holder, e, a, pack, s.Clock.Now())
		if err != nil {
			return nil, err
		}
		g.Certificate = c
	}
	return g, nil
}

// apiResult is the outcome of a submitted attempt, with the review the exam's policy allows.
type apiResult struct {
	Score       float64          `json:"score"`
	Passed      bool             `json:"passed"`
	Pending     int              `json:"pending_review"`
	SubmittedAt time.Time        `json:"submitted_at"`
	Auto        bool             `json:"auto_submitted"`
	Certificate *apiCertRef      `json:"certificate"`
	Review      []apiReviewEntry `json:"review,omitempty"`
}

type apiCertRef struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

type apiReviewEntry struct {
	QuestionID  string          `json:"question_id"`
	Score       float64         `json:"score"`
	Correct     bool            `json:"correct"`
	NeedsReview bool            `json:"needs_review"`
	Response    json.RawMessage `json:"response"`
	Answer      any             `json:"answer"`
	Explanation string          `json:"explanation"`
}

// result is the outcome of a submitted attempt as the review policy lets the trainee see
// it; answers, when the caller has them from grading, save reading them again.
func (s *Server) result(ctx context.Context, e *safedesk.Exam, a *safedesk.Attempt, m *attemptMeta, cert *safedesk.Certificate, answers map[string]json.RawMessage, lang string) (*apiResult, error) {
	res := &apiResult{Score: a.Score, Passed: a.Passed, Pending: a.Pending, SubmittedAt: a.SubmittedAt, Auto: a.AutoSubmit}
	if cert == nil && a.Passed && s.Certificates != nil {
		certs, err := s.Certificates.FindUserCertificates(ctx, a.UserID)
		if err != nil {
			return nil, err
		}
		for _, c := range certs {
			if c.AttemptID == a.ID {
				cert = c
			}
		}
	}
	if cert != nil {
		res.Certificate = &apiCertRef{Code: cert.Code, ExpiresAt: cert.ExpiresAt}
	}
	show := e.Review == "answers" || (e.Review == "answers_after_close" && !e.ClosesAt.IsZero() && !s.Clock.Now().Before(e.ClosesAt))
	if !show {
		return res, nil
	}
	var results []exam.Result
	json.Unmarshal(a.Results, &results)
	if answers == nil {
		var err error
		if answers, err = s.Exams.FindAnswers(ctx, a.ID); err != nil {
			return nil, err
		}
	}
	idx := questionIndex(m.pack)
	for _, r := range results {
		q := idx[r.QuestionID]
		if q == nil {
			continue
		}
		res.Review = append(res.Review, apiReviewEntry{QuestionID: q.ID, Score: r.Score, Correct: r.Correct, NeedsReview: r.NeedsReview,
			Response: answers[q.ID], Answer: apiResponse(q, exam.Key(q, lang)), Explanation: q.Explanation.In(lang)})
	}
	return res, nil
}

// AutoSubmitOverdue submits every attempt whose deadline and grace have passed; the job
// queue calls it every minute. It returns how many it submitted.
func (s *Server) AutoSubmitOverdue(ctx context.Context) (int, error) {
	over, err := s.Exams.FindOverdueAttempts(ctx, s.Clock.Now().Add(-submitGrace))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range over {
		m, err := s.attemptMeta(ctx, a.ID)
		if err != nil {
			return n, err
		}
		if _, _, err := s.submit(ctx, m, true); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// examPool returns every question of the live pack that the exam's blueprint can draw.
func (s *Server) examPool(ctx context.Context, e *safedesk.Exam) ([]*safedesk.Question, error) {
	live, err := s.Catalog.Course(ctx, e.CourseID)
	if err != nil {
		return nil, err
	}
	var pool []*safedesk.Question
	for _, q := range live.Pack.Questions {
		for _, rule := range e.Blueprint {
			if exam.RuleMatches(rule, q) {
				pool = append(pool, q)
				break
			}
		}
	}
	return pool, nil
}

func (s *Server) handleAPIExamQuestions(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Exams.FindExamByID(r.Context(), r.PathValue("examID"))
	if err != nil {
		return err
	}
	pool, err := s.examPool(r.Context(), e)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	out := make([]apiPoolQuestion, 0, len(pool))
	for _, q := range pool {
		out = append(out, apiPoolQuestion{apiQuestion: viewQuestion(q, nil, lang), Answer: apiResponse(q, exam.Key(q, lang)),
			Explanation: q.Explanation.In(lang), Lesson: q.LessonID, Chapter: q.ChapterID, Difficulty: q.Difficulty, Tags: q.Tags})
	}
	writeJSON(w, http.StatusOK, map[string]any{"exam_id": e.ID, "questions": out})
	return nil
}

func (s *Server) handleAPIExamStatistics(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Exams.FindExamByID(r.Context(), r.PathValue("examID"))
	if err != nil {
		return err
	}
	// First attempts only, as the statistics page: later attempts are practised ones.
	st, _, _, err := s.firstStatistics(r.Context(), e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// drillsMet reports whether a person has passed the distinct drill scenarios the exam's
// course requires before its certificate issues. It reads through the reader pool, so it
// is safe inside the grading transaction.
func (s *Server) drillsMet(userID string, e *safedesk.Exam) bool {
	if e.RequiredDrills <= 0 {
		return true
	}
	if s.Drills == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := s.Drills.CountPassedScenarios(ctx, userID, e.CourseID)
	if err != nil {
		s.Logger.Error("counting passed drills", "err", err)
		return false
	}
	return n >= e.RequiredDrills
}

// issueAfterDrills issues the certificates that were waiting for drills: for each
// certification exam of the course whose drill requirement the person now meets, a passed
// attempt without a certificate gets one.
func (s *Server) issueAfterDrills(ctx context.Context, u *safedesk.User, courseID string) error {
	exams, err := s.Exams.FindExams(ctx, courseID)
	if err != nil {
		return err
	}
	certs, err := s.Certificates.FindUserCertificates(ctx, u.ID)
	if err != nil {
		return err
	}
	has := map[string]bool{}
	for _, c := range certs {
		has[c.AttemptID] = true
	}
	for _, e := range exams {
		if e.Kind != safedesk.ExamCertification || e.RequiredDrills <= 0 || !s.drillsMet(u.ID, e) {
			continue
		}
		atts, err := s.Exams.FindUserAttempts(ctx, e.ID, u.ID)
		if err != nil {
			return err
		}
		for _, a := range atts {
			if !a.Passed || has[a.ID] {
				continue
			}
			m, err := s.attemptMeta(ctx, a.ID)
			if err != nil {
				return err
			}
			c, err := s.Certifier.Issue(u, e, a, m.pack, s.Clock.Now())
			if err != nil {
				return err
			}
			if err := s.Exams.IssueCertificate(ctx, c); err != nil && safedesk.ErrorCode(err) != safedesk.ECONFLICT {
				return err
			}
			break // one certificate per exam is enough
		}
	}
	return nil
}
