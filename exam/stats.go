package exam

import (
	"cmp"
	"math"
	"slices"

	"safedesk"
)

// Thresholds for flags on weak items and tests. The facility and discrimination bounds
// are the usual item-analysis rules of thumb; MinAlpha is the value below which Moodle's
// "Quiz report statistics" calls a test "unsatisfactory".
const (
	MinFacility       = 0.20 // below: FlagTooHard
	MaxFacility       = 0.95 // above: FlagTooEasy
	MinDiscrimination = 0.25 // below: FlagLowDiscrimination
	MinAlpha          = 0.64 // below: FlagLowAlpha
	// MinAttempts is the number of attempts below which statistics are noise rather
	// than evidence (FlagFewAttempts).
	MinAttempts = 30
)

// Flags on items and tests.
const (
	FlagTooHard                = "too_hard"                // facility < MinFacility
	FlagTooEasy                = "too_easy"                // facility > MaxFacility
	FlagLowDiscrimination      = "low_discrimination"      // 0 ≤ discrimination < MinDiscrimination
	FlagNegativeDiscrimination = "negative_discrimination" // discrimination < 0: strong trainees do worse; check the key
	FlagDistractorAttractsTop  = "distractor_attracts_top" // a wrong option drew more of the top third than of the bottom third
	FlagLowAlpha               = "low_alpha"               // alpha < MinAlpha
	FlagFewAttempts            = "few_attempts"            // fewer than MinAttempts attempts
)

// A ScoredItem is one graded question of an attempt, as Analyze reads it.
type ScoredItem struct {
	QuestionID string
	// Score is the final credit, 0 to 1 (after review). A value that is not finite
	// counts as 0.
	Score float64
	// Response is the answer, read for the distractor analysis of choice questions.
	Response Response
}

// A ScoredAttempt is one graded attempt: its items in paper order. Position i is "slot" i
// of the test, which is how Moodle treats randomly drawn questions.
type ScoredAttempt struct {
	Items []ScoredItem
}

// Statistics describes a set of attempts of one exam, by the definitions of Moodle's quiz
// statistics report (Moodle Docs, "Quiz statistics calculations",
// https://docs.moodle.org/dev/Quiz_statistics_calculations, and "Quiz report statistics",
// https://docs.moodle.org/dev/Quiz_report_statistics). Moodle shows most of these as
// percentages; here the test's scores (Mean, Median, SD, StandardError) are percentages
// of the maximum and the coefficients (Alpha, ErrorRatio and the item statistics) are
// fractions, so that Alpha 0.64 is Moodle's 64 %.
//
// A statistic that is undefined for the data (too few attempts, no variance) is nil, which
// encodes as JSON null: no NaN or infinity ever reaches a client.
type Statistics struct {
	// Attempts is the number of attempts, S.
	Attempts int `json:"attempts"`
	// Mean is T̄ = Σ T_s / S, with T_s the attempt's score in percent.
	Mean *float64 `json:"mean"`
	// Median is the middle score, or the mean of the two middle scores when S is even.
	Median *float64 `json:"median"`
	// SD is the sample standard deviation √(Σ (T_s − T̄)² / (S − 1)); S ≥ 2.
	SD *float64 `json:"sd"`
	// Skewness is k₃ / k₂^(3/2) with m_j = Σ (T_s − T̄)^j / S, k₂ = S·m₂/(S−1) and
	// k₃ = S²·m₃ / ((S−1)(S−2)); S ≥ 3 and k₂ > 0.
	Skewness *float64 `json:"skewness"`
	// Kurtosis is the excess kurtosis k₄ / k₂² with
	// k₄ = S²·((S+1)·m₄ − 3(S−1)·m₂²) / ((S−1)(S−2)(S−3)); S ≥ 4 and k₂ > 0.
	Kurtosis *float64 `json:"kurtosis"`
	// Alpha is Cronbach's alpha, Moodle's coefficient of internal consistency:
	// α = P/(P−1) · (1 − Σ_p V(x_p) / V(T)), with P the number of slots, V(x_p) the sample
	// variance of the scores in slot p (a missing slot scores 0) and V(T) = k₂ that of the
	// attempts' total marks. Defined when S ≥ 2, P ≥ 2 and V(T) > 0 (Moodle computes it
	// only from S ≥ 3, a side effect of computing it with the skewness; nothing in the
	// formula needs the third attempt).
	Alpha *float64 `json:"alpha"`
	// ErrorRatio is √(1 − α): the share of the spread of scores that is measurement
	// error. Moodle shows it as 100·√(1 − CIC/100).
	ErrorRatio *float64 `json:"error_ratio"`
	// StandardError is the standard error of measurement, ErrorRatio × SD, in percentage
	// points: a trainee's true score lies within about two standard errors of the score
	// they got, 95 % of the time.
	StandardError *float64 `json:"standard_error"`
	// Flags holds FlagLowAlpha and FlagFewAttempts when they apply; never nil.
	Flags []string `json:"flags"`
	// Items holds a row per question that any attempt asked, in bank order (questions
	// not in the bank last, by id).
	Items []ItemStatistics `json:"items"`
}

// ItemStatistics describes one question over the attempts that asked it (s of them),
// with x its score in an attempt and X − x the rest of that attempt's marks.
type ItemStatistics struct {
	QuestionID string `json:"question_id"`
	Type       string `json:"type,omitempty"`
	// Attempts is s, the number of attempts that asked the question.
	Attempts int `json:"attempts"`
	// Facility is the mean score as a share of the maximum, x̄ / 1: 0 when nobody earned
	// credit, 1 when everybody earned full credit.
	Facility float64 `json:"facility"`
	// SD is the sample standard deviation of x, √(Σ (x − x̄)² / (s − 1)); s ≥ 2.
	SD *float64 `json:"sd"`
	// Discrimination is Moodle's discrimination index: the correlation of the item's score
	// with the rest of the test, C(x, X−x) / √(V(x)·V(X−x)), with C the sample covariance
	// and V the sample variance. From −1 to 1; nil when either variance is 0.
	Discrimination *float64 `json:"discrimination"`
	// Efficiency is Moodle's discriminative efficiency, C(x, X−x) / C_max(x, X−x): the
	// discrimination index as a share of the most it could be given the scores, where
	// C_max pairs the sorted x with the sorted X−x. Nil when C_max is 0.
	Efficiency *float64 `json:"discriminative_efficiency"`
	// Flags holds the item flags that apply; never nil.
	Flags []string `json:"flags"`
	// For choice questions (single, multiple, truefalse) in the bank, the distractor
	// analysis: the share of attempts that chose each option (in bank order) and that
	// gave no answer, over all attempts and within the top and bottom thirds of attempts
	// by score. TopAttempts and BottomAttempts are the attempts of each third that asked
	// the question.
	Options        []OptionShare `json:"options,omitempty"`
	Omitted        *Share        `json:"omitted,omitempty"`
	TopAttempts    int           `json:"top_attempts,omitempty"`
	BottomAttempts int           `json:"bottom_attempts,omitempty"`
}

// A Share is the fraction of attempts that did something, over all attempts that asked
// the question and within the top and bottom thirds (nil when the third has no attempt
// that asked it).
type Share struct {
	All    float64  `json:"all"`
	Top    *float64 `json:"top"`
	Bottom *float64 `json:"bottom"`
}

// An OptionShare is the Share of attempts that chose one option. Shares of a
// multiple-choice question's options can add up to more than 1.
type OptionShare struct {
	ID      string `json:"id"`
	Correct bool   `json:"correct"`
	Share
}

// Analyze computes the statistics of attempts of one exam. Which attempts to pass is the
// caller's choice: Moodle's default, and the statistically sound one, is each trainee's
// first attempt, and an attempt with answers waiting for review is best left out until
// they are reviewed. bank supplies question types, options and keys for the distractor
// analysis and the order of the rows; it may be nil.
// It runs in O(R log R) time for R item responses and holds O(R) memory.
//
// Attempts are ranked by score, highest first and in input order among equal scores; the
// top third is the first ⌊S/3⌋ of them and the bottom third the last ⌊S/3⌋, so with
// fewer than 3 attempts there are no thirds.
func Analyze(attempts []ScoredAttempt, bank []*safedesk.Question) *Statistics {
	st := &Statistics{Attempts: len(attempts), Flags: []string{}, Items: []ItemStatistics{}}
	if len(attempts) == 0 {
		return st
	}
	if len(attempts) < MinAttempts {
		st.Flags = append(st.Flags, FlagFewAttempts)
	}
	d := collect(attempts)
	st.testStatistics(d)
	group := thirds(d.percents)

	bankPos := make(map[string]int, len(bank))
	byID := make(map[string]*safedesk.Question, len(bank))
	for i, q := range bank {
		if q != nil {
			if _, dup := byID[q.ID]; !dup {
				bankPos[q.ID], byID[q.ID] = i, q
			}
		}
	}
	tallies := tallyChoices(d, byID, group)
	st.Items = make([]ItemStatistics, len(d.ids))
	for k, id := range d.ids {
		it := &st.Items[k]
		*it = itemStatistics(id, d.x[d.off[k]:d.off[k+1]], d.rest[d.off[k]:d.off[k+1]])
		if q := byID[id]; q != nil {
			it.Type = q.Type
		}
		if t := tallies[k]; t != nil {
			t.apply(it)
		}
		it.flag()
	}
	slices.SortFunc(st.Items, func(a, b ItemStatistics) int {
		pa, okA := bankPos[a.QuestionID]
		pb, okB := bankPos[b.QuestionID]
		switch {
		case okA && okB:
			return cmp.Compare(pa, pb)
		case okA != okB:
			if okA {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.QuestionID, b.QuestionID)
	})
	return st
}

// data is the attempts laid out for the computations: per attempt its raw total and
// percent, per item (indexed in order of first appearance) its scores and rest-of-test
// marks in one backing array each, item k owning [off[k], off[k+1]).
type data struct {
	attempts         []ScoredAttempt
	totals, percents []float64
	slots            int
	ids              []string
	off              []int
	x, rest          []float64
	// item[a] holds, for attempt a, the item index of each of its responses.
	item [][]int32
}

func collect(attempts []ScoredAttempt) *data {
	d := &data{attempts: attempts, totals: make([]float64, len(attempts)), percents: make([]float64, len(attempts)), item: make([][]int32, len(attempts))}
	index := map[string]int32{}
	var counts []int
	for a, at := range attempts {
		d.slots = max(d.slots, len(at.Items))
		d.item[a] = make([]int32, len(at.Items))
		for j, it := range at.Items {
			k, ok := index[it.QuestionID]
			if !ok {
				k = int32(len(d.ids))
				index[it.QuestionID] = k
				d.ids = append(d.ids, it.QuestionID)
				counts = append(counts, 0)
			}
			d.item[a][j] = k
			counts[k]++
			d.totals[a] += finite(it.Score)
		}
		if n := len(at.Items); n > 0 {
			d.percents[a] = 100 * d.totals[a] / float64(n)
		}
	}
	d.off = make([]int, len(d.ids)+1)
	for k, c := range counts {
		d.off[k+1] = d.off[k] + c
	}
	d.x = make([]float64, d.off[len(d.ids)])
	d.rest = make([]float64, len(d.x))
	fill := slices.Clone(d.off[:len(d.ids)])
	for a, at := range attempts {
		for j, it := range at.Items {
			k := d.item[a][j]
			x := finite(it.Score)
			d.x[fill[k]], d.rest[fill[k]] = x, d.totals[a]-x
			fill[k]++
		}
	}
	return d
}

func (st *Statistics) testStatistics(d *data) {
	n := float64(len(d.percents))
	sorted := slices.Clone(d.percents)
	slices.Sort(sorted)
	mid := len(sorted) / 2
	median := sorted[mid]
	if len(sorted)%2 == 0 {
		median = (sorted[mid-1] + sorted[mid]) / 2
	}
	mean := sum(d.percents) / n
	st.Mean, st.Median = &mean, &median
	if len(d.percents) < 2 {
		return
	}
	var p2, p3, p4 float64
	for _, t := range d.percents {
		dv := t - mean
		p2 += dv * dv
		p3 += dv * dv * dv
		p4 += dv * dv * dv * dv
	}
	sd := math.Sqrt(p2 / (n - 1))
	st.SD = &sd
	k2 := p2 / (n - 1)
	if negligible(k2, 100) {
		return
	}
	m2, m3, m4 := p2/n, p3/n, p4/n
	if n >= 3 {
		k3 := n * n * m3 / ((n - 1) * (n - 2))
		st.Skewness = ptr(k3 / math.Pow(k2, 1.5))
	}
	if n >= 4 {
		k4 := n * n * ((n+1)*m4 - 3*(n-1)*m2*m2) / ((n - 1) * (n - 2) * (n - 3))
		st.Kurtosis = ptr(k4 / (k2 * k2))
	}
	st.reliability(d, sd)
}

// reliability computes alpha, the error ratio and the standard error from the raw marks.
func (st *Statistics) reliability(d *data, sd float64) {
	p := float64(d.slots)
	if d.slots < 2 {
		return
	}
	vt := variance(d.totals)
	if negligible(vt, p) {
		return
	}
	// Σ_p V(x_p) in two passes (means, then squared deviations), a missing slot
	// scoring 0 as in Moodle's treatment of omitted items.
	n := float64(len(d.totals))
	sums := make([]float64, d.slots)
	present := make([]int, d.slots)
	for _, at := range d.attempts {
		for j, it := range at.Items {
			sums[j] += finite(it.Score)
			present[j]++
		}
	}
	devs := make([]float64, d.slots)
	for _, at := range d.attempts {
		for j, it := range at.Items {
			dv := finite(it.Score) - sums[j]/n
			devs[j] += dv * dv
		}
	}
	var sumV float64
	for j := range d.slots {
		mean := sums[j] / n
		sumV += (devs[j] + float64(len(d.totals)-present[j])*mean*mean) / (n - 1)
	}
	alpha := p / (p - 1) * (1 - sumV/vt)
	er := math.Sqrt(math.Max(0, 1-alpha))
	st.Alpha, st.ErrorRatio, st.StandardError = &alpha, &er, ptr(er*sd)
	if alpha < MinAlpha {
		st.Flags = append(st.Flags, FlagLowAlpha)
	}
}
