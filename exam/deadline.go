package exam

import (
	"math"
	"time"
)

// Grace is how long after its deadline an attempt still takes answers and a submission.
// It absorbs network latency and a slow last request, not working time: the deadline the
// trainee sees is the real one.
const Grace = 30 * time.Second

// MaxAccommodation bounds the time multiplier of an accommodation, so that a typing
// error cannot hold an attempt open for days.
const MaxAccommodation = 10

// Deadline returns when an attempt started at start ends: the exam's time limit stretched
// by the trainee's accommodation, a multiplier (1.5 gives half as much time again). A
// multiplier below 1 or not finite counts as 1, one above MaxAccommodation as
// MaxAccommodation; the result is truncated to the second so that every copy of it agrees.
// Time comes in as start, never from the clock, so the function is pure.
func Deadline(start time.Time, limitMinutes int, accommodation float64) time.Time {
	if math.IsNaN(accommodation) || accommodation < 1 {
		accommodation = 1
	}
	accommodation = math.Min(accommodation, MaxAccommodation)
	limit := time.Duration(float64(max(limitMinutes, 0)) * accommodation * float64(time.Minute))
	return start.Add(limit).Truncate(time.Second)
}

// WithinDeadline reports whether an attempt with the deadline still takes answers and a
// submission at now: until the deadline plus Grace, inclusive. After that the attempt is
// submitted as it stands.
func WithinDeadline(now, deadline time.Time) bool {
	return !now.After(deadline.Add(Grace))
}
