package http

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"

	"safedesk"
	"safedesk/exam"
)

// firstStatistics analyses every person's first attempt at an exam, as Moodle's quiz
// statistics do by default: later attempts are practised, not independent, and would
// flatter the items. First attempts with answers still waiting for review are left out
// until they are reviewed; leftOut counts them. scores are the percentages analysed.
func (s *Server) firstStatistics(ctx context.Context, e *safedesk.Exam) (st *exam.Statistics, scores []float64, leftOut int, err error) {
	atts, err := s.Exams.FindFirstAttempts(ctx, e.ID)
	if err != nil {
		return nil, nil, 0, err
	}
	answers, err := s.Exams.FindFirstAttemptAnswers(ctx, e.ID)
	if err != nil {
		return nil, nil, 0, err
	}
	pool, err := s.examPool(ctx, e)
	if err != nil {
		return nil, nil, 0, err
	}
	scored := make([]exam.ScoredAttempt, 0, len(atts))
	scores = make([]float64, 0, len(atts))
	for _, a := range atts {
		if a.Pending > 0 {
			leftOut++
			continue
		}
		pack, err := s.Catalog.Version(ctx, a.VersionID)
		if err != nil {
			return nil, nil, 0, err
		}
		var results []exam.Result
		if err := json.Unmarshal(a.Results, &results); err != nil {
			return nil, nil, 0, fmt.Errorf("attempt %s results: %w", a.ID, err)
		}
		idx := questionIndex(pack)
		sa := exam.ScoredAttempt{Items: make([]exam.ScoredItem, 0, len(results))}
		for _, res := range results {
			item := exam.ScoredItem{QuestionID: res.QuestionID, Score: res.Score}
			if q := idx[res.QuestionID]; q != nil {
				if raw, ok := answers[a.ID][q.ID]; ok {
					item.Response, _ = decodeResponse(q, raw) // checked when saved
				}
			}
			sa.Items = append(sa.Items, item)
		}
		scored = append(scored, sa)
		scores = append(scores, a.Score)
	}
	return exam.Analyze(scored, pool), scores, leftOut, nil
}

// apiFirstStatistics is the statistics of first attempts with what was left out.
type apiFirstStatistics struct {
	*exam.Statistics
	Selection string `json:"selection"` // "first_attempts"
	LeftOut   int    `json:"left_out_pending_review"`
}

func (s *Server) handleAPIExamFirstStatistics(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Exams.FindExamByID(r.Context(), r.PathValue("examID"))
	if err != nil {
		return err
	}
	st, _, left, err := s.firstStatistics(r.Context(), e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiFirstStatistics{Statistics: st, Selection: "first_attempts", LeftOut: left})
	return nil
}

// statFigure is one line of the test statistics table.
type statFigure struct {
	Key   string // message key of the label
	Value string
	Hint  string // message key of the explanation, "" for none
}

// itemView is one row of the item table, with its distractor analysis.
type itemView struct {
	N                                int
	QuestionID, Prompt, Type         string
	Attempts                         int
	Facility, SD, Disc, Eff          string
	Flags                            []string
	Weak                             bool
	Options                          []optionView
	Omitted                          *optionView
	TopAttempts, BottomAttempts      int
	HasDistractors, TopBottomDefined bool
}

// optionView is one option's share of the attempts, overall and in the top and bottom
// thirds.
type optionView struct {
	Text             string
	Correct          bool
	All, Top, Bottom string
	Lure             bool // a wrong option drawing more of the top third than of the bottom
}

type statsPage struct {
	Exam      *safedesk.Exam
	Stats     *exam.Statistics
	Figures   []statFigure
	Items     []itemView
	LeftOut   int
	Histogram template.HTML
	ItemChart template.HTML
}

func (s *Server) handleExamStatisticsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lang := s.lang(r)
	e, err := s.Exams.FindExamByID(ctx, r.PathValue("examID"))
	if err != nil {
		return err
	}
	st, scores, left, err := s.firstStatistics(ctx, e)
	if err != nil {
		return err
	}
	p := statsPage{Exam: e, Stats: st, LeftOut: left, Figures: statFigures(st)}
	pool, err := s.examPool(ctx, e)
	if err != nil {
		return err
	}
	byID := make(map[string]*safedesk.Question, len(pool))
	for _, q := range pool {
		byID[q.ID] = q
	}
	for i, it := range st.Items {
		p.Items = append(p.Items, itemRowView(i+1, it, byID[it.QuestionID], lang))
	}
	// The charts escape their own text: they are safe to write into the page as markup.
	var hist, chart bytes.Buffer
	if err := exam.Histogram(&hist, scores, float64(e.PassMark), exam.HistogramText{Title: tr(lang, "examadmin.chart.hist_title"),
		XAxis: tr(lang, "examadmin.chart.hist_x"), YAxis: tr(lang, "examadmin.chart.hist_y"), PassMark: tr(lang, "exam.pass_mark"),
		Attempts: tr(lang, "examadmin.chart.attempts")}); err != nil {
		return err
	}
	if err := exam.ItemChart(&chart, st.Items, exam.ItemChartText{Title: tr(lang, "examadmin.chart.items_title"),
		Question: tr(lang, "examadmin.item.question"), Facility: tr(lang, "examadmin.item.facility"),
		Discrimination: tr(lang, "examadmin.item.discrimination"), NotAvailable: "—", Flags: tr(lang, "examadmin.item.flags"),
		Summary: tr(lang, "examadmin.chart.items_summary")}); err != nil {
		return err
	}
	p.Histogram, p.ItemChart = template.HTML(hist.String()), template.HTML(chart.String())
	return s.render(w, r, "examadmin_statistics.html", p)
}

func statFigures(st *exam.Statistics) []statFigure {
	return []statFigure{
		{Key: "examadmin.st.attempts", Value: fmt.Sprint(st.Attempts)},
		{Key: "examadmin.st.mean", Value: pctOf(st.Mean)},
		{Key: "examadmin.st.median", Value: pctOf(st.Median)},
		{Key: "examadmin.st.sd", Value: pctOf(st.SD)},
		{Key: "examadmin.st.skewness", Value: fixed(st.Skewness, 2), Hint: "examadmin.st.skewness_hint"},
		{Key: "examadmin.st.kurtosis", Value: fixed(st.Kurtosis, 2), Hint: "examadmin.st.kurtosis_hint"},
		{Key: "examadmin.st.alpha", Value: fixed(st.Alpha, 2), Hint: "examadmin.st.alpha_hint"},
		{Key: "examadmin.st.error_ratio", Value: fixed(st.ErrorRatio, 2), Hint: "examadmin.st.error_ratio_hint"},
		{Key: "examadmin.st.standard_error", Value: pctOf(st.StandardError), Hint: "examadmin.st.standard_error_hint"},
	}
}

func itemRowView(n int, it exam.ItemStatistics, q *safedesk.Question, lang string) itemView {
	v := itemView{N: n, QuestionID: it.QuestionID, Type: it.Type, Attempts: it.Attempts, Facility: fmt.Sprintf("%.0f%%", it.Facility*100),
		SD: fixed(it.SD, 2), Disc: fixed(it.Discrimination, 2), Eff: fixed(it.Efficiency, 2), Flags: it.Flags,
		TopAttempts: it.TopAttempts, BottomAttempts: it.BottomAttempts}
	for _, f := range it.Flags {
		v.Weak = v.Weak || f != exam.FlagFewAttempts
	}
	if q != nil {
		v.Prompt = shortText(q.Prompt.In(lang), 90)
	}
	if len(it.Options) == 0 {
		return v
	}
	v.HasDistractors = true
	v.TopBottomDefined = it.TopAttempts > 0 && it.BottomAttempts > 0
	text := map[string]string{}
	if q != nil {
		for _, o := range q.Options {
			text[o.ID] = o.Text.In(lang)
		}
	}
	for _, o := range it.Options {
		ov := shareView(o.Share)
		ov.Text, ov.Correct = text[o.ID], o.Correct
		if ov.Text == "" {
			ov.Text = o.ID
		}
		ov.Lure = !o.Correct && o.Top != nil && o.Bottom != nil && *o.Top > *o.Bottom
		v.Options = append(v.Options, ov)
	}
	if it.Omitted != nil {
		om := shareView(*it.Omitted)
		v.Omitted = &om
	}
	return v
}

func shareView(sh exam.Share) optionView {
	return optionView{All: fmt.Sprintf("%.0f%%", sh.All*100), Top: pctShare(sh.Top), Bottom: pctShare(sh.Bottom)}
}

func pctShare(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", *p*100)
}

// pctOf shows a percentage figure; nil (undefined) shows as a dash.
func pctOf(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

// fixed shows a coefficient with n decimals; nil shows as a dash.
func fixed(p *float64, n int) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.*f", n, *p)
}

// shortText cuts s to at most n runes, marking the cut with "…".
func shortText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
