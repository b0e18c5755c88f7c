package exam

import (
	"encoding/json"
	"math"
	"testing"
)

func TestGain(t *testing.T) {
	tests := []struct {
		pre, post float64
		want      float64
		ok        bool
	}{
		{40, 70, 0.5, true},  // 30 of the 60 points still to gain
		{0, 100, 1, true},    // everything learnt
		{50, 50, 0, true},    // nothing changed
		{50, 40, -0.2, true}, // −10 / 50: worse after the course
		{80, 100, 1, true},   // 20 / 20
		{99.5, 100, 1, true}, // 0.5 / 0.5
		{100, 100, 0, false}, // nothing left to gain: undefined
		{100, 90, 0, false},  // still undefined
		{-1, 50, 0, false},   // out of range
		{50, 101, 0, false},  // out of range
		{math.NaN(), 50, 0, false},
	}
	for _, tt := range tests {
		g, ok := Gain(tt.pre, tt.post)
		if ok != tt.ok || math.Abs(g-tt.want) > 1e-12 {
			t.Errorf("Gain(%v, %v) = %v, %v; want %v, %v", tt.pre, tt.post, g, ok, tt.want, tt.ok)
		}
	}
}

// TestGroupGains checks both group gains by hand.
//
// Pairs (0→50), (50→100), (90→91) and (100→100):
// individual gains 50/100 = 0.5, 50/50 = 1, 1/10 = 0.1; the perfect pre-test has none.
// Mean of gains = 1.6 / 3 = 0.533333 (Excluded 1).
// Means over all four: pre (0+50+90+100)/4 = 60, post (50+100+91+100)/4 = 85.25;
// gain of means = 25.25 / 40 = 0.63125.
func TestGroupGains(t *testing.T) {
	gg := GroupGains([]GainPair{{0, 50}, {50, 100}, {90, 91}, {100, 100}, {-3, 20}})
	if gg.Trainees != 4 || gg.Excluded != 1 {
		t.Errorf("trainees %d excluded %d", gg.Trainees, gg.Excluded)
	}
	near(t, "mean pre", gg.MeanPre, 60)
	near(t, "mean post", gg.MeanPost, 85.25)
	near(t, "gain of means", gg.GainOfMeans, 0.63125)
	near(t, "mean of gains", gg.MeanOfGains, 1.6/3)

	tests := []struct {
		name  string
		pairs []GainPair
		check func(t *testing.T, gg GroupGain)
	}{
		{"nobody", nil, func(t *testing.T, gg GroupGain) {
			isNil(t, "mean pre", gg.MeanPre)
			isNil(t, "gain of means", gg.GainOfMeans)
			isNil(t, "mean of gains", gg.MeanOfGains)
		}},
		{"all perfect before", []GainPair{{100, 100}, {100, 95}}, func(t *testing.T, gg GroupGain) {
			near(t, "mean pre", gg.MeanPre, 100)
			isNil(t, "gain of means", gg.GainOfMeans)
			isNil(t, "mean of gains", gg.MeanOfGains)
			if gg.Excluded != 2 {
				t.Errorf("excluded %d", gg.Excluded)
			}
		}},
		{"one trainee", []GainPair{{20, 60}}, func(t *testing.T, gg GroupGain) {
			near(t, "gain of means", gg.GainOfMeans, 0.5)
			near(t, "mean of gains", gg.MeanOfGains, 0.5)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gg := GroupGains(tt.pairs)
			tt.check(t, gg)
			if _, err := json.Marshal(gg); err != nil {
				t.Fatal(err)
			}
		})
	}
}
