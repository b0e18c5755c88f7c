package safedesk_test

import (
	"testing"

	"safedesk"
)

func TestAttemptsUsed(t *testing.T) {
	fail, pass := &safedesk.Attempt{}, &safedesk.Attempt{Passed: true}
	for _, c := range []struct {
		name string
		atts []*safedesk.Attempt // newest first
		want int
	}{
		{"none", nil, 0},
		{"only failures", []*safedesk.Attempt{fail, fail, fail}, 3},
		{"pass last", []*safedesk.Attempt{pass, fail, fail}, 0},
		{"failures since a pass", []*safedesk.Attempt{fail, fail, pass, fail}, 2},
		{"two passes", []*safedesk.Attempt{fail, pass, fail, pass}, 1},
	} {
		if got := safedesk.AttemptsUsed(c.atts); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}
