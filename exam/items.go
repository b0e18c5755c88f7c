package exam

import (
	"math"
	"slices"
)

// itemStatistics computes one item's statistics from its scores x and the rest-of-test
// marks of the same attempts (parallel slices).
func itemStatistics(id string, x, rest []float64) ItemStatistics {
	it := ItemStatistics{QuestionID: id, Attempts: len(x), Flags: []string{}}
	s := float64(len(x))
	xm, rm := sum(x)/s, sum(rest)/s
	it.Facility = xm
	if len(x) < 2 {
		return it
	}
	var vx, vr, c float64
	for i := range x {
		dx, dr := x[i]-xm, rest[i]-rm
		vx += dx * dx
		vr += dr * dr
		c += dx * dr
	}
	vx, vr, c = vx/(s-1), vr/(s-1), c/(s-1)
	if negligible(vx, 1) {
		vx = 0
	}
	if negligible(vr, 1+math.Abs(rm)) {
		vr = 0
	}
	it.SD = ptr(math.Sqrt(vx))
	if vx > 0 && vr > 0 {
		it.Discrimination = ptr(clamp(c/math.Sqrt(vx*vr), -1, 1))
	}
	// C_max: the covariance of the two score lists each sorted, the largest covariance any
	// pairing of these values can have (the rearrangement inequality).
	xs, rs := slices.Clone(x), slices.Clone(rest)
	slices.Sort(xs)
	slices.Sort(rs)
	var cmax float64
	for i := range xs {
		cmax += (xs[i] - xm) * (rs[i] - rm)
	}
	cmax /= s - 1
	if cmax > 0 && vx > 0 && vr > 0 {
		it.Efficiency = ptr(c / cmax)
	}
	return it
}

// flag sets the item's flags from its statistics.
func (it *ItemStatistics) flag() {
	if it.Attempts < MinAttempts {
		it.Flags = append(it.Flags, FlagFewAttempts)
	}
	switch {
	case it.Facility < MinFacility:
		it.Flags = append(it.Flags, FlagTooHard)
	case it.Facility > MaxFacility:
		it.Flags = append(it.Flags, FlagTooEasy)
	}
	if d := it.Discrimination; d != nil {
		switch {
		case *d < 0:
			it.Flags = append(it.Flags, FlagNegativeDiscrimination)
		case *d < MinDiscrimination:
			it.Flags = append(it.Flags, FlagLowDiscrimination)
		}
	}
	for _, o := range it.Options {
		if !o.Correct && o.Top != nil && o.Bottom != nil && *o.Top > *o.Bottom {
			it.Flags = append(it.Flags, FlagDistractorAttractsTop)
			break
		}
	}
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

// variance returns the sample variance of xs (len ≥ 2).
func variance(xs []float64) float64 {
	n := float64(len(xs))
	m := sum(xs) / n
	var v float64
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return v / (n - 1)
}

// negligible reports whether a variance of values on the given scale is rounding error:
// a mean computed in float64 differs from equal values by a few ulps, which would turn
// "no spread" into a tiny positive variance and a meaningless ratio.
func negligible(v, scale float64) bool {
	return v <= 1e-12*scale*scale
}

func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

func clamp(x, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, x))
}

func ptr(x float64) *float64 { return &x }
