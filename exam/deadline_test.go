package exam

import (
	"math"
	"testing"
	"time"
)

func TestDeadline(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name          string
		limit         int
		accommodation float64
		want          time.Duration
	}{
		{"plain", 40, 1, 40 * time.Minute},
		{"half as much again", 40, 1.5, 60 * time.Minute},
		{"below 1 counts as 1", 40, 0.5, 40 * time.Minute},
		{"zero counts as 1", 40, 0, 40 * time.Minute},
		{"NaN counts as 1", 40, math.NaN(), 40 * time.Minute},
		{"capped", 10, 1000, 100 * time.Minute},
		{"infinite capped", 10, math.Inf(1), 100 * time.Minute},
		{"truncated to the second", 1, 1.01, 60 * time.Second}, // 60.6 s
		{"negative limit", -5, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Deadline(start, tt.limit, tt.accommodation); !got.Equal(start.Add(tt.want)) {
				t.Errorf("got %v, want %v", got.Sub(start), tt.want)
			}
		})
	}
}

func TestWithinDeadline(t *testing.T) {
	deadline := time.Date(2026, 3, 1, 9, 40, 0, 0, time.UTC)
	tests := []struct {
		now  time.Time
		want bool
	}{
		{deadline.Add(-time.Minute), true},
		{deadline, true},
		{deadline.Add(Grace), true},
		{deadline.Add(Grace + time.Nanosecond), false},
	}
	for _, tt := range tests {
		if got := WithinDeadline(tt.now, deadline); got != tt.want {
			t.Errorf("WithinDeadline(%v) = %v, want %v", tt.now.Sub(deadline), got, tt.want)
		}
	}
}
