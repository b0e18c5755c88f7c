package exam

import "math"

// Gain returns Hake's normalised learning gain of one trainee,
//
//	g = (post − pre) / (100 − pre),
//
// the share of what the trainee could still learn after the pre-test that they did learn
// (R. R. Hake, "Interactive-engagement versus traditional methods", Am. J. Phys. 66, 64,
// 1998). Scores are percentages. g is 1 when the post-test is perfect, 0 when nothing
// changed and negative when the post-test is worse. ok is false when g is undefined: a
// perfect pre-test (pre ≥ 100 leaves nothing to gain) or a score outside 0..100.
func Gain(pre, post float64) (g float64, ok bool) {
	if !validPercent(pre) || !validPercent(post) || pre >= 100 {
		return 0, false
	}
	return (post - pre) / (100 - pre), true
}

func validPercent(x float64) bool { return x >= 0 && x <= 100 } // false for NaN too

// A GainPair is one trainee's pre-test and post-test scores, in percent.
type GainPair struct {
	Pre, Post float64
}

// GroupGain is the learning gain of a group (a team, a course) in Hake's two senses.
type GroupGain struct {
	// Trainees is the number of pairs with valid scores (0..100); the others are
	// left out of every figure.
	Trainees int `json:"trainees"`
	// MeanPre and MeanPost are the group's average scores.
	MeanPre  *float64 `json:"mean_pre"`
	MeanPost *float64 `json:"mean_post"`
	// GainOfMeans is Hake's class gain ⟨g⟩ = (⟨post⟩ − ⟨pre⟩) / (100 − ⟨pre⟩), computed
	// from the group's average scores, as in Hake (1998). Nil when ⟨pre⟩ is 100.
	GainOfMeans *float64 `json:"gain_of_means"`
	// MeanOfGains is the average of the individual gains g, over the trainees whose g is
	// defined (Excluded counts those with a perfect pre-test). It weights every trainee
	// equally and can differ from GainOfMeans when weak and strong starters gain
	// differently (L. Bao, "Theoretical comparisons of average normalized gain
	// calculations", Am. J. Phys. 74, 917, 2006). Nil when no trainee's g is defined.
	MeanOfGains *float64 `json:"mean_of_gains"`
	Excluded    int      `json:"excluded"`
}

// GroupGains computes the group's learning gain from its trainees' score pairs.
func GroupGains(pairs []GainPair) GroupGain {
	var gg GroupGain
	var pre, post, gains float64
	defined := 0
	for _, p := range pairs {
		if !validPercent(p.Pre) || !validPercent(p.Post) {
			continue
		}
		gg.Trainees++
		pre += p.Pre
		post += p.Post
		if g, ok := Gain(p.Pre, p.Post); ok {
			gains += g
			defined++
		} else {
			gg.Excluded++
		}
	}
	if gg.Trainees == 0 {
		return gg
	}
	n := float64(gg.Trainees)
	gg.MeanPre, gg.MeanPost = ptr(pre/n), ptr(post/n)
	if g, ok := Gain(*gg.MeanPre, math.Min(100, *gg.MeanPost)); ok {
		gg.GainOfMeans = &g
	}
	if defined > 0 {
		gg.MeanOfGains = ptr(gains / float64(defined))
	}
	return gg
}
