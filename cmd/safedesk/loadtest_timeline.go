package main

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"
)

// ltTimeline records when each request of a run was sent and how long its answer took.
// A percentile says how slow the tail is; the timeline says when it happens (while
// attempts start, at the submits, or spread evenly), which is what points at a cause.
type ltTimeline struct {
	mu     sync.Mutex
	events []ltEvent
}

type ltEvent struct {
	kind     string
	at, took time.Duration
}

// add records one request; a nil timeline records nothing.
func (tl *ltTimeline) add(kind string, at, took time.Duration) {
	if tl == nil {
		return
	}
	tl.mu.Lock()
	tl.events = append(tl.events, ltEvent{kind, at, took})
	tl.mu.Unlock()
}

// write stores the requests in the order they were sent, as CSV: kind, seconds into the
// run, milliseconds to the answer.
func (tl *ltTimeline) write(path string) error {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	slices.SortFunc(tl.events, func(a, b ltEvent) int { return cmp.Compare(a.at, b.at) })
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "kind,at_s,ms")
	for _, e := range tl.events {
		fmt.Fprintf(w, "%s,%.3f,%.3f\n", e.kind, e.at.Seconds(), float64(e.took)/float64(time.Millisecond))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
