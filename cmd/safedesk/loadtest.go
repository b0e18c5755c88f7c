package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// runLoadtest drives a running server through exam day: N trainees start the same exam
// within the ramp, save every answer, submit, and then every acknowledged answer is read
// back. The last line of output is a JSON summary.
func runLoadtest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "bare-server" { // started by --baseline
		return runBareServer(ctx, stdout)
	}
	if len(args) == 0 || args[0] != "exam" {
		fmt.Fprintln(stderr, "usage: safedesk loadtest exam --url URL --trainees N [--answers 30] [--ramp 60s]")
		return exitCode(2)
	}
	fs := flag.NewFlagSet("loadtest exam", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "server URL")
	n := fs.Int("trainees", 100, "number of trainees")
	answers := fs.Int("answers", 30, "answers each trainee saves (at most the paper's length)")
	ramp := fs.Duration("ramp", 60*time.Second, "time over which attempts start")
	admin := fs.String("admin", "admin@demo.example", "admin login that creates the trainees")
	workers := fs.Int("concurrency", 0, "connections at most (0: one per trainee, as each trainee's browser has its own)")
	think := fs.Duration("think", 0, "mean pause between a trainee's answers (0: answer as fast as the server allows)")
	tokenFile := fs.String("tokens", "", "file that keeps the trainees' sessions between runs (skips signing 10,000 people in again)")
	retry := fs.Duration("retry", 0, "keep resending a request that gets no response for this long, as a browser would while the server restarts (for crash tests)")
	withBaseline := fs.Bool("baseline", false, "afterwards, run the same saves against a bare handler that only upserts the row, and print both")
	latencies := fs.String("latencies", "", "write each request's kind, moment in the run (s) and latency (ms) to this CSV file, to see when slow ones happen")
	cpuProfile := fs.String("cpuprofile", "", "write the load tool's own CPU profile to this file (the tool shares the machine with the server)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitCode(2)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	password := getenv("SAFEDESK_DEMO_PASSWORD")
	if password == "" {
		fmt.Fprintln(stderr, "loadtest: set SAFEDESK_DEMO_PASSWORD to the admin's password; trainees get the same one")
		return exitCode(2)
	}
	if *workers <= 0 {
		*workers = max(*n, 8)
	}
	lt := &loadtest{base: *base, password: password, out: stderr, retry: *retry, ownConns: *workers >= *n,
		client: &http.Client{Timeout: ltTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: *workers, MaxConnsPerHost: *workers}}}
	tokens, examID, err := lt.setup(ctx, *admin, *n, *tokenFile)
	if err != nil {
		return err
	}
	if *latencies != "" {
		lt.timeline = &ltTimeline{}
	}
	sum := lt.run(ctx, tokens, examID, *answers, *ramp, *think)
	if *latencies != "" {
		if err := lt.timeline.write(*latencies); err != nil {
			return err
		}
	}
	if *withBaseline {
		bs, err := lt.baseline(ctx, *n, *answers, *ramp, *think)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(map[string]any{"baseline": bs, "p99_ratio": ratio(sum.P99, bs.P99), "throughput_ratio": ratio(sum.PerSecond, bs.PerSecond)})
		fmt.Fprintln(stdout, string(b))
	}
	b, _ := json.Marshal(sum)
	fmt.Fprintln(stdout, string(b))
	if sum.Errors > 0 || sum.Lost > 0 {
		return exitCode(1)
	}
	return nil
}

// ltTimeout bounds every request of the tool.
const ltTimeout = 60 * time.Second

type loadtest struct {
	base, password string
	client         *http.Client
	// ownConns gives each trainee a connection of its own (ltConn) for the exam run; when
	// false they share the client's --concurrency connections.
	ownConns bool
	out      io.Writer
	// retry is how long a request without a response is retried (0: not at all).
	retry   time.Duration
	retries atomic.Int64
	// timeline, when set, keeps every request of the exam run (--latencies).
	timeline *ltTimeline
}

// ltSummary is the contract of the last output line.
type ltSummary struct {
	Trainees    int     `json:"trainees"`
	Started     int     `json:"started"`
	AnswersSent int     `json:"answers_sent"`
	Saved       int     `json:"answers_saved"`
	Errors      int     `json:"errors"`
	Lost        int     `json:"lost"`
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	StartP99    float64 `json:"start_p99_ms"`
	SubmitP99   float64 `json:"submit_p99_ms"`
	PerSecond   float64 `json:"saves_per_s"`
	Seconds     float64 `json:"seconds"`
	ThinkMS     float64 `json:"think_ms"`
	// Retries counts requests sent again because the server did not answer (--retry).
	Retries int64 `json:"retries,omitempty"`
}

func (lt *loadtest) call(ctx context.Context, method, path, token string, body, out any) (int, error) {
	return lt.callAt(ctx, nil, lt.base, method, path, token, body, out)
}

// httpError is a response the server gave with a status of 300 or more.
type httpError struct {
	Method, Path string
	Status       int
	Body         []byte
}

func (e *httpError) Error() string {
	return fmt.Sprintf("%s %s: %d %.200s", e.Method, e.Path, e.Status, e.Body)
}

// callAt sends one request, on cn when it is given and through the shared client when
// not. With a retry window, a request that gets no response (the server is down or
// restarting) is sent again until it gets one or the window passes, as a browser's
// autosave would.
func (lt *loadtest) callAt(ctx context.Context, cn *ltConn, base, method, path, token string, body, out any) (int, error) {
	var payload []byte
	if body != nil {
		payload, _ = json.Marshal(body)
	}
	var firstFail time.Time
	for {
		status, b, err := lt.send(ctx, cn, base, method, path, token, payload)
		if err != nil {
			if firstFail.IsZero() {
				firstFail = time.Now()
			}
			if lt.retry <= 0 || time.Since(firstFail) > lt.retry || ctx.Err() != nil {
				return 0, err
			}
			lt.retries.Add(1)
			time.Sleep(time.Duration(100+rand.IntN(200)) * time.Millisecond)
			continue
		}
		if status >= 300 {
			return status, &httpError{Method: method, Path: path, Status: status, Body: b}
		}
		if out != nil {
			if err := json.Unmarshal(b, out); err != nil {
				return status, err
			}
		}
		return status, nil
	}
}

// send makes one attempt at a request and returns the response's status and body.
func (lt *loadtest) send(ctx context.Context, cn *ltConn, base, method, path, token string, payload []byte) (int, []byte, error) {
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	if cn != nil {
		return cn.roundTrip(method, path, token, payload)
	}
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := lt.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (lt *loadtest) login(ctx context.Context, who string) (string, error) {
	for {
		var r struct{ Token string }
		st, err := lt.call(ctx, "POST", "/api/v1/auth/login", "", map[string]string{"login": who, "password": lt.password}, &r)
		if st == http.StatusTooManyRequests {
			time.Sleep(500 * time.Millisecond) // sign-in is bounded on purpose; wait our turn
			continue
		}
		return r.Token, err
	}
}

// setup creates (or reuses) the trainees in a team of their own, assigns the course, signs
// everyone in (sessions outlast the exam; with a token file, sessions still valid from an
// earlier run are reused), and creates an exam of its own for this run, so runs can repeat
// on one database without meeting attempt limits or cooldowns.
func (lt *loadtest) setup(ctx context.Context, admin string, n int, tokenFile string) ([]string, string, error) {
	at, err := lt.login(ctx, admin)
	if err != nil {
		return nil, "", fmt.Errorf("admin sign-in: %w", err)
	}
	var team struct{ ID string }
	if _, err := lt.call(ctx, "POST", "/api/v1/teams", at, map[string]string{"name": "loadtest"}, &team); err != nil {
		var teams []struct{ ID, Name string }
		if _, err := lt.call(ctx, "GET", "/api/v1/teams", at, nil, &teams); err != nil {
			return nil, "", err
		}
		for _, t := range teams {
			if t.Name == "loadtest" {
				team.ID = t.ID
			}
		}
	}
	if _, err := lt.call(ctx, "POST", "/api/v1/courses/default/assignments", at,
		map[string]string{"team_id": team.ID, "due_at": time.Now().AddDate(0, 1, 0).Format("2006-01-02")}, nil); err != nil {
		return nil, "", err
	}
	fmt.Fprintf(lt.out, "setting up %d trainees (created once, then reused)…\n", n)
	tokens := make([]string, n)
	kept := readTokens(tokenFile)
	var reused atomic.Int64
	var firstErr error
	var mu sync.Mutex
	parallel(n, 8, func(i int) {
		email := fmt.Sprintf("lt%05d@loadtest.example", i)
		if tok := kept[email]; tok != "" {
			if st, _ := lt.call(ctx, "GET", "/api/v1/me", tok, nil, nil); st == http.StatusOK {
				tokens[i] = tok
				reused.Add(1)
				return
			}
		}
		st, err := lt.call(ctx, "POST", "/api/v1/users", at, map[string]string{"name": fmt.Sprintf("Load %05d", i), "email": email,
			"role": "trainee", "team_id": team.ID, "password": lt.password}, nil)
		if err != nil && st != http.StatusConflict {
			mu.Lock()
			firstErr = errors.Join(firstErr, err)
			mu.Unlock()
			return
		}
		tok, err := lt.login(ctx, email)
		if err != nil {
			mu.Lock()
			firstErr = errors.Join(firstErr, err)
			mu.Unlock()
			return
		}
		tokens[i] = tok
	})
	if firstErr != nil {
		return nil, "", firstErr
	}
	if reused.Load() > 0 {
		fmt.Fprintf(lt.out, "reused %d sessions from %s\n", reused.Load(), tokenFile)
	}
	if err := writeTokens(tokenFile, tokens); err != nil {
		return nil, "", err
	}
	examID, err := lt.runExam(ctx, at, tokens[0])
	return tokens, examID, err
}

// runExam creates this run's exam: the first exam the trainees see (the certification
// exam of the default course), copied with one attempt, no cooldown, open for two hours.
func (lt *loadtest) runExam(ctx context.Context, adminToken, traineeToken string) (string, error) {
	var exams []struct{ ID, Kind string }
	if _, err := lt.call(ctx, "GET", "/api/v1/exams", traineeToken, nil, &exams); err != nil || len(exams) == 0 {
		return "", fmt.Errorf("no exam for the trainees: %v", err)
	}
	var def map[string]any
	if _, err := lt.call(ctx, "GET", "/api/v1/admin/exams/"+exams[0].ID, adminToken, nil, &def); err != nil {
		return "", err
	}
	now := time.Now().UTC()
	for _, k := range []string{"id", "spec_id", "from_pack", "questions", "counts", "created_at"} {
		delete(def, k)
	}
	def["title"] = map[string]string{"zh-CN": "压力测试 " + now.Format("01-02 15:04:05"), "en": "Load test " + now.Format("01-02 15:04:05")}
	def["attempts"], def["cooldown_minutes"] = 1, 0
	def["opens_at"], def["closes_at"] = now.Add(-time.Minute), now.Add(2*time.Hour)
	var created struct{ ID string }
	if _, err := lt.call(ctx, "POST", "/api/v1/admin/exams", adminToken, def, &created); err != nil {
		return "", fmt.Errorf("creating the run's exam: %w", err)
	}
	return created.ID, nil
}

// readTokens reads a token file: one "email token" pair a line. A missing file is empty.
func readTokens(path string) map[string]string {
	out := map[string]string{}
	if path == "" {
		return out
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(b), "\n") {
		if email, tok, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			out[email] = tok
		}
	}
	return out
}

// writeTokens keeps the sessions for the next run, readable by the owner only: they are
// live credentials of the load-test accounts. Sessions of trainees beyond this run's
// number are kept too, so a small run does not cost a later large one its sign-ins.
func writeTokens(path string, tokens []string) error {
	if path == "" {
		return nil
	}
	all := readTokens(path)
	for i, tok := range tokens {
		all[fmt.Sprintf("lt%05d@loadtest.example", i)] = tok
	}
	emails := slices.Sorted(maps.Keys(all))
	var b strings.Builder
	for _, email := range emails {
		fmt.Fprintf(&b, "%s %s\n", email, all[email])
	}
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

func parallel(n, workers int, fn func(i int)) {
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

type ltQuestion struct {
	ID      string
	Type    string
	Options []struct{ ID string }
	Pairs   []struct{ ID string }
}

// answerFor makes a valid response for a question.
func answerFor(q ltQuestion, round int) any {
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	switch q.Type {
	case "single", "truefalse":
		return ids[round%len(ids)]
	case "multiple":
		return ids[:2]
	case "ordering":
		return ids
	case "matching":
		out := make([]string, len(q.Pairs))
		for i := range out {
			out[i] = ids[i%len(ids)]
		}
		return out
	}
	return fmt.Sprintf("answer %d", round)
}

func (lt *loadtest) run(ctx context.Context, tokens []string, examID string, answers int, ramp, think time.Duration) ltSummary {
	n := len(tokens)
	sum := ltSummary{Trainees: n}
	var mu sync.Mutex
	var saves, starts, submits []float64
	type acked struct {
		token, attempt, question string
		resp                     any
	}
	var ack []acked
	var errs atomic.Int64
	fmt.Fprintf(lt.out, "starting %d attempts over %s\n", n, ramp)
	begin := time.Now()
	var wg sync.WaitGroup
	for i, tok := range tokens {
		wg.Add(1)
		go func(i int, tok string) {
			defer wg.Done()
			time.Sleep(time.Duration(float64(ramp) * float64(i) / float64(max(n, 1))))
			cn := lt.conn(lt.base)
			defer cn.close()
			t0 := time.Now()
			var att struct {
				ID        string
				Questions []ltQuestion
			}
			if err := lt.start(ctx, cn, tok, examID, &att); err != nil {
				errs.Add(1)
				fmt.Fprintln(lt.out, "start:", err)
				return
			}
			lt.timeline.add("start", t0.Sub(begin), time.Since(t0))
			mu.Lock()
			starts = append(starts, ms(time.Since(t0)))
			sum.Started++
			mu.Unlock()
			for k, q := range att.Questions {
				if k >= answers {
					break
				}
				resp := answerFor(q, i)
				if think > 0 {
					time.Sleep(time.Duration(rand.Int64N(int64(2 * think))))
				}
				t := time.Now()
				_, err := lt.callAt(ctx, cn, lt.base, "PUT", "/api/v1/attempts/"+att.ID+"/answers/"+q.ID, tok, map[string]any{"response": resp}, nil)
				d := ms(time.Since(t))
				if err == nil {
					lt.timeline.add("save", t.Sub(begin), time.Since(t))
				}
				mu.Lock()
				sum.AnswersSent++
				if err != nil {
					if errs.Add(1) <= 20 { // the first few say what went wrong; the count says how often
						fmt.Fprintln(lt.out, "save:", err)
					}
				} else {
					saves = append(saves, d)
					ack = append(ack, acked{tok, att.ID, q.ID, resp})
				}
				mu.Unlock()
			}
			t := time.Now()
			if _, err := lt.callAt(ctx, cn, lt.base, "POST", "/api/v1/attempts/"+att.ID+"/submit", tok, nil, nil); err != nil {
				if errs.Add(1) <= 20 {
					fmt.Fprintln(lt.out, "submit:", err)
				}
				return
			}
			lt.timeline.add("submit", t.Sub(begin), time.Since(t))
			mu.Lock()
			submits = append(submits, ms(time.Since(t)))
			mu.Unlock()
		}(i, tok)
	}
	wg.Wait()
	sum.Seconds = time.Since(begin).Seconds()
	sum.Retries = lt.retries.Load()
	sum.ThinkMS = ms(think)
	sum.Saved = len(saves)
	sum.Errors = int(errs.Load())
	sum.P50, sum.P99 = quantile(saves, 0.5), quantile(saves, 0.99)
	sum.StartP99, sum.SubmitP99 = quantile(starts, 0.99), quantile(submits, 0.99)
	if sum.Seconds > 0 {
		sum.PerSecond = float64(sum.Saved) / sum.Seconds
	}
	// Every acknowledged answer must read back.
	byAttempt := map[string][]acked{}
	for _, a := range ack {
		byAttempt[a.attempt] = append(byAttempt[a.attempt], a)
	}
	for id, list := range byAttempt {
		var got struct{ Answers map[string]json.RawMessage }
		if _, err := lt.call(ctx, "GET", "/api/v1/attempts/"+id, list[0].token, nil, &got); err != nil {
			sum.Lost += len(list)
			continue
		}
		for _, a := range list {
			want, _ := json.Marshal(a.resp)
			if !bytes.Equal(bytes.TrimSpace(got.Answers[a.question]), want) {
				sum.Lost++
			}
		}
	}
	return sum
}

// conn returns a trainee's own connection to base, or nil when trainees share the client.
func (lt *loadtest) conn(base string) *ltConn {
	if !lt.ownConns {
		return nil
	}
	cn, err := newConn(base, ltTimeout)
	if err != nil {
		return nil // not plain HTTP: the shared client speaks it
	}
	return cn
}

// start starts the trainee's attempt. A start that was retried may find the attempt
// already begun (its first try started it, but the answer never came): then it is resumed.
func (lt *loadtest) start(ctx context.Context, cn *ltConn, tok, examID string, att any) error {
	_, err := lt.callAt(ctx, cn, lt.base, "POST", "/api/v1/exams/"+examID+"/attempts", tok, nil, att)
	var he *httpError
	if err == nil || !errors.As(err, &he) || he.Status != http.StatusConflict {
		return err
	}
	var running struct {
		AttemptID string `json:"attempt_id"`
	}
	if json.Unmarshal(he.Body, &running) != nil || running.AttemptID == "" {
		return err
	}
	_, err = lt.callAt(ctx, cn, lt.base, "GET", "/api/v1/attempts/"+running.AttemptID, tok, nil, att)
	return err
}

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return float64(int(a/b*100)) / 100
}
