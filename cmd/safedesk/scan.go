package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"safedesk/risk"
	"safedesk/risk/jsonl"
)

const scanUsage = `Usage: safedesk scan [--format jsonl|table] [--summary] [--risk-dir DIR] [FILE ...]

Reads chat messages as JSON Lines, one {"id", "role", "text"} object per line, from
each FILE or from standard input ("-" or no FILE), and writes one result per message,
in order. Bad lines are reported on standard error as "line N: reason" and skipped;
the exit status is then 1.

Flags:
`

// maxLine bounds one input line; a longer line is reported and skipped, never loaded.
const maxLine = 16 << 20

// scanWorkers is how many lines a scan checks at once: one per core Go may use, so that
// "taskset -c 1" or GOMAXPROCS=1 measures one core. Tests set it to run both paths.
var scanWorkers = func() int { return runtime.GOMAXPROCS(0) }

// scanOptions are the parsed flags of the scan command.
type scanOptions struct {
	table   bool
	summary bool
	files   []string
}

// runScan implements "safedesk scan" as specified in the scan contract.
func runScan(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, scanUsage)
		fs.PrintDefaults()
	}
	format := fs.String("format", "jsonl", "output `format`: jsonl (one JSON object per message) or table (for people)")
	summary := fs.Bool("summary", false, "print totals by finding type to standard error after the scan")
	riskDir := fs.String("risk-dir", "", "`folder` of risk-engine lists (official_domains.txt …) replacing the built-in ones")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitCode(2)
	}
	if *format != "jsonl" && *format != "table" {
		fmt.Fprintf(stderr, "scan: --format must be jsonl or table, not %q\n", *format)
		return exitCode(2)
	}
	opt := scanOptions{table: *format == "table", summary: *summary, files: fs.Args()}
	if len(opt.files) == 0 {
		opt.files = []string{"-"}
	}
	cfg := risk.DefaultConfig()
	if *riskDir != "" {
		var err error
		if cfg, err = risk.LoadConfig(os.DirFS(*riskDir)); err != nil {
			fmt.Fprintf(stderr, "scan: --risk-dir: %v\n", err)
			return exitCode(2)
		}
	}
	engine, err := risk.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "scan: --risk-dir: %v\n", err)
		return exitCode(2)
	}
	s := &scanner{engine: engine, opt: opt, stderr: stderr, out: bufio.NewWriterSize(stdout, 64<<10), workers: scanWorkers()}
	s.lines = s.newLineScanner()
	if opt.table {
		s.out.WriteString("ID          EMOTION        TYPE                     SPAN       SCORE  TEXT\n")
	}
	for _, name := range opt.files {
		if err := s.scanFile(ctx, name, stdin); err != nil {
			s.out.Flush() // what was scanned before an interrupt still goes out
			return err
		}
	}
	if err := s.out.Flush(); err != nil {
		return fmt.Errorf("scan: write: %w", err)
	}
	if opt.summary {
		s.printSummary()
	}
	if s.failed {
		return exitCode(1)
	}
	return nil
}

// scanner carries the state of one scan run.
type scanner struct {
	engine  *risk.Engine
	opt     scanOptions
	stderr  io.Writer
	out     *bufio.Writer
	lines   *lineScanner   // checks lines on this goroutine
	workers int            // lines checked at once: GOMAXPROCS, 1 on one core
	pool    []*lineScanner // the parallel scan's workers, kept across files for their totals
	prog    *progress      // of the file being scanned; nil when not shown

	bad    int
	failed bool
}

// lineScanner checks lines one after another and keeps the totals of what it saw. Each
// goroutine of a scan has its own.
type lineScanner struct {
	checker *risk.Checker
	table   bool
	msg     jsonl.Message // borrows each line's text: a line is done before the next is read
	buf     []byte        // table rows being built

	messages, withFindings int
	counts                 map[risk.Type]int
	emotions               [4]int
}

func (s *scanner) newLineScanner() *lineScanner {
	return &lineScanner{checker: s.engine.NewChecker(), table: s.opt.table, msg: jsonl.Message{Borrow: true}, counts: map[risk.Type]int{}}
}

// scanFile scans one input; "-" is standard input. Problems with the input are reported
// and make the exit status 1; only a failure to write the output is returned.
func (s *scanner) scanFile(ctx context.Context, name string, stdin io.Reader) error {
	var r io.Reader = stdin
	prefix := ""
	if len(s.opt.files) > 1 {
		prefix = name + ": "
	}
	s.prog = nil
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(s.stderr, "scan: %v\n", err)
			s.failed = true
			return nil
		}
		defer f.Close()
		r = f
		s.prog = newProgress(f, name, s.stderr)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if s.workers > 1 {
		return s.scanParallel(ctx, prefix, br)
	}
	var long []byte
	for n := 1; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			s.prog.update(n)
		}
		if br.Buffered() == 0 {
			// About to block on input: let a reader downstream see what is done.
			if err := s.out.Flush(); err != nil {
				return fmt.Errorf("scan: write: %w", err)
			}
		}
		line, tooLong, err := readLine(br, &long)
		if len(line) > 0 || tooLong {
			if tooLong {
				s.report(prefix, n, fmt.Sprintf("longer than %d MiB", maxLine>>20))
			} else if err := s.scanLine(prefix, n, line); err != nil {
				return err
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(s.stderr, "scan: %sread: %v\n", prefix, err)
			s.failed = true
			break
		}
	}
	s.prog.done()
	return nil
}

// readLine returns the next line without its end of line. A line longer than maxLine
// is skipped and reported with tooLong; long is reused between calls.
func readLine(br *bufio.Reader, long *[]byte) (line []byte, tooLong bool, err error) {
	line, err = br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		*long = append((*long)[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = br.ReadSlice('\n')
			if !tooLong {
				*long = append(*long, line...)
				if len(*long) > maxLine {
					tooLong, *long = true, (*long)[:0]
				}
			}
		}
		line = *long
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	return line, tooLong, err
}

// scanLine checks one input line and writes its result.
func (s *scanner) scanLine(prefix string, n int, line []byte) error {
	// Straight into the writer's buffer when the line fits (most do).
	out, bad := s.lines.appendLine(s.out.AvailableBuffer(), n, line)
	if bad != "" {
		s.report(prefix, n, bad)
		return nil
	}
	if _, err := s.out.Write(out); err != nil {
		return fmt.Errorf("scan: write: %w", err)
	}
	return nil
}

// appendLine checks line n and appends its output to dst: nothing for a blank line, and
// for a line that is not a message the reason to report instead.
func (l *lineScanner) appendLine(dst []byte, n int, line []byte) (_ []byte, bad string) {
	if n == 1 {
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // a UTF-8 byte-order mark
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return dst, ""
	}
	if err := l.msg.Decode(line); err != nil {
		return dst, err.Error()
	}
	res := l.checker.Check(l.msg.Role, l.msg.Text)
	l.tally(&res)
	if l.table {
		l.writeTable(&res)
		return append(dst, l.buf...), ""
	}
	return append(jsonl.AppendResult(dst, &l.msg, &res), '\n'), ""
}

func (s *scanner) report(prefix string, n int, reason string) {
	s.prog.done() // clear the progress line; the next update draws it again
	fmt.Fprintf(s.stderr, "%sline %d: %s\n", prefix, n, reason)
	s.bad++
	s.failed = true
}

func (l *lineScanner) tally(r *risk.Result) {
	l.messages++
	if len(r.Findings) > 0 {
		l.withFindings++
	}
	for _, f := range r.Findings {
		l.counts[f.Type]++
	}
	switch r.Emotion.Label {
	case risk.EmotionAnger:
		l.emotions[0]++
	case risk.EmotionAnxiety:
		l.emotions[1]++
	case risk.EmotionNeutral:
		l.emotions[2]++
	case risk.EmotionPositive:
		l.emotions[3]++
	}
}

// printSummary writes the totals of every line scanner to standard error.
func (s *scanner) printSummary() {
	total := &lineScanner{counts: map[risk.Type]int{}}
	for _, l := range append([]*lineScanner{s.lines}, s.pool...) {
		total.messages += l.messages
		total.withFindings += l.withFindings
		for t, n := range l.counts {
			total.counts[t] += n
		}
		for i, n := range l.emotions {
			total.emotions[i] += n
		}
	}
	w := s.stderr
	fmt.Fprintf(w, "scanned %d messages, %d with findings, %d bad lines\n", total.messages, total.withFindings, s.bad)
	types := make([]risk.Type, 0, len(total.counts))
	for t := range total.counts {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		fmt.Fprintf(w, "  %-26s %d\n", t, total.counts[t])
	}
	fmt.Fprintf(w, "  emotion: anger %d, anxiety %d, neutral %d, positive %d\n", total.emotions[0], total.emotions[1], total.emotions[2], total.emotions[3])
}

// writeTable formats one result as table rows into l.buf: one row per finding, or one
// row with "-" when there is none.
func (l *lineScanner) writeTable(r *risk.Result) {
	l.buf = l.buf[:0]
	id := l.msg.IDText()
	emo := r.Emotion.Label + " " + strconv.FormatFloat(r.Emotion.Score, 'f', 2, 64)
	if len(r.Findings) == 0 {
		l.buf = fmt.Appendf(l.buf, "%s%-14s -\n", padCells(id, 12), emo)
		return
	}
	for i, f := range r.Findings {
		if i > 0 {
			id, emo = "", ""
		}
		text := strings.NewReplacer("\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(f.Text)
		l.buf = fmt.Appendf(l.buf, "%s%-14s %-24s %-10s %.2f   %s\n", padCells(id, 12), emo, f.Type,
			strconv.Itoa(f.Start)+"-"+strconv.Itoa(f.End), f.Score, text)
	}
}

// padCells shortens or pads s to n terminal cells (East Asian wide characters take two).
func padCells(s string, n int) string {
	var sb strings.Builder
	cells := 0
	for _, r := range s {
		w := 1
		if k := width.LookupRune(r).Kind(); k == width.EastAsianWide || k == width.EastAsianFullwidth {
			w = 2
		}
		if r < ' ' {
			r, w = ' ', 1
		}
		if cells+w > n-2 {
			sb.WriteString("…")
			cells++
			break
		}
		sb.WriteRune(r)
		cells += w
	}
	sb.WriteString(strings.Repeat(" ", max(n-cells, 1)))
	return sb.String()
}

// progress shows how far a file scan has got, on a terminal only.
type progress struct {
	f     *os.File
	name  string
	size  int64
	w     io.Writer
	last  time.Time
	shown bool
}

// newProgress returns a progress display for the regular file f, or nil when standard
// error is not a terminal (or f is not a regular file, so has no known size).
func newProgress(f *os.File, name string, stderr io.Writer) *progress {
	ef, ok := stderr.(*os.File)
	if !ok {
		return nil
	}
	est, err := ef.Stat()
	if err != nil || est.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	fst, err := f.Stat()
	if err != nil || !fst.Mode().IsRegular() || fst.Size() == 0 {
		return nil
	}
	return &progress{f: f, name: name, size: fst.Size(), w: stderr, last: time.Now()}
}

func (p *progress) update(lines int) {
	if p == nil || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	pos, err := p.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return
	}
	pct := float64(pos) * 100 / float64(p.size)
	fmt.Fprintf(p.w, "\r\033[Kscan: %s %3.0f%% (%.1f of %.1f MB, %d lines)", p.name, pct, float64(pos)/1e6, float64(p.size)/1e6, lines)
	p.shown = true
}

func (p *progress) done() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
