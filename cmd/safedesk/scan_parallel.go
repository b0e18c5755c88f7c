package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sync"
)

// The parallel scan, used when more than one core is available: this goroutine writes,
// a reading goroutine cuts the input into batches of whole lines, and one worker per
// core checks batches, each with a line scanner of its own. Batches are written in the
// order they were read, so the output is byte for byte the sequential scan's; on one
// core (GOMAXPROCS=1, or taskset) the scan stays sequential.

// batchBytes is about how much input one batch holds: large enough that handing it over
// costs nothing beside checking it, small enough that a few in flight stay small.
const batchBytes = 256 << 10

type scanBatch struct {
	buf   []byte // the lines' bytes, copied out of the reader
	lines []batchLine
	last  int // the number of the batch's last line, for the progress display

	out     []byte // what the worker wrote, and the lines it could not read
	reports []batchReport
	done    chan struct{}
}

type batchLine struct {
	n          int
	start, end int
	tooLong    bool
}

type batchReport struct {
	n      int
	reason string
}

func (l *lineScanner) runBatch(b *scanBatch) {
	b.out, b.reports = b.out[:0], b.reports[:0]
	for _, ln := range b.lines {
		if ln.tooLong {
			b.reports = append(b.reports, batchReport{ln.n, fmt.Sprintf("longer than %d MiB", maxLine>>20)})
			continue
		}
		var bad string
		if b.out, bad = l.appendLine(b.out, ln.n, b.buf[ln.start:ln.end]); bad != "" {
			b.reports = append(b.reports, batchReport{ln.n, bad})
		}
	}
}

// scanParallel scans one input as scanFile does, with s.workers lines scanners at once.
func (s *scanner) scanParallel(ctx context.Context, prefix string, br *bufio.Reader) error {
	for len(s.pool) < s.workers {
		s.pool = append(s.pool, s.newLineScanner())
	}
	jobs := make(chan *scanBatch)
	order := make(chan *scanBatch, 2*s.workers)
	free := make(chan *scanBatch, 2*s.workers+2)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, l := range s.pool[:s.workers] {
		wg.Go(func() {
			for b := range jobs {
				l.runBatch(b)
				close(b.done)
			}
		})
	}
	type readResult struct {
		err  error  // the context's, when it ended the scan
		fail string // a read error, reported like the sequential scan's
	}
	readDone := make(chan readResult, 1)
	go func() {
		defer close(jobs)
		defer close(order)
		fail, err := readBatches(ctx, br, jobs, order, free, stop)
		readDone <- readResult{err, fail}
	}()

	var werr error
	for b := range order {
		<-b.done
		if werr == nil {
			for _, r := range b.reports {
				s.report(prefix, r.n, r.reason)
			}
			if _, err := s.out.Write(b.out); err != nil {
				werr = fmt.Errorf("scan: write: %w", err)
				close(stop)
			} else if len(order) == 0 {
				// Nothing else is ready: let a reader downstream see what is done.
				if err := s.out.Flush(); err != nil {
					werr = fmt.Errorf("scan: write: %w", err)
					close(stop)
				}
			}
			s.prog.update(b.last)
		}
		select {
		case free <- b:
		default:
		}
	}
	wg.Wait()
	rr := <-readDone
	if werr != nil {
		return werr
	}
	if rr.fail != "" {
		fmt.Fprintf(s.stderr, "scan: %sread: %s\n", prefix, rr.fail)
		s.failed = true
	}
	s.prog.done()
	return rr.err
}

// readBatches cuts br into batches of whole lines, numbered as the sequential scan
// numbers them, and hands each to the workers and then to the writer's queue. A batch
// goes out early when the input would block, so that a slow producer's lines are not
// held back. It stops at the end of the input, a read error, the end of ctx, or stop.
// It returns a read error's text for the writer to report, and the context's error.
func readBatches(ctx context.Context, br *bufio.Reader, jobs, order chan<- *scanBatch, free chan *scanBatch, stop <-chan struct{}) (fail string, err error) {
	newBatch := func() *scanBatch {
		var b *scanBatch
		select {
		case b = <-free:
			b.buf, b.lines = b.buf[:0], b.lines[:0]
		default:
			b = &scanBatch{buf: make([]byte, 0, batchBytes+4<<10)}
		}
		b.done = make(chan struct{})
		return b
	}
	b := newBatch()
	send := func() bool {
		if len(b.lines) == 0 {
			return true
		}
		select {
		case jobs <- b:
		case <-stop:
			return false
		}
		select {
		case order <- b:
		case <-stop:
			return false
		}
		b = newBatch()
		return true
	}
	var long []byte
	for n := 1; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				send()
				return "", err
			}
		}
		if br.Buffered() == 0 || len(b.buf) >= batchBytes {
			if !send() {
				return "", nil
			}
		}
		line, tooLong, err := readLine(br, &long)
		if len(line) > 0 || tooLong {
			start := len(b.buf)
			b.buf = append(b.buf, line...)
			b.lines = append(b.lines, batchLine{n: n, start: start, end: len(b.buf), tooLong: tooLong})
			b.last = n
		}
		if err == io.EOF {
			send()
			return "", nil
		}
		if err != nil {
			send()
			return err.Error(), nil
		}
	}
}
