package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "modernc.org/sqlite"
)

// baseline measures the floor under an answer save on this machine: a minimal HTTP handler
// that upserts the same row into SQLite (same pragmas, one writer connection), with no
// authentication, routing, validation or caching. The exam run's figures divided by these
// say what SafeDesk's own work costs.
//
// The bare server runs as a process of its own (this binary, `loadtest bare-server`), as
// the real server does: in the tool's process its 10,000 connections would share one
// open-file limit with the tool's 10,000, and a common limit of 20,000 is not enough.
func (lt *loadtest) baseline(ctx context.Context, trainees, answers int, ramp, think time.Duration) (ltSummary, error) {
	exe, err := os.Executable()
	if err != nil {
		return ltSummary{}, err
	}
	cmd := exec.CommandContext(ctx, exe, "loadtest", "bare-server")
	cmd.Stderr = lt.out
	out, err := cmd.StdoutPipe()
	if err != nil {
		return ltSummary{}, err
	}
	if err := cmd.Start(); err != nil {
		return ltSummary{}, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return ltSummary{}, fmt.Errorf("bare server: %w", err)
	}
	base := "http://" + strings.TrimSpace(addr)

	sum := ltSummary{Trainees: trainees, Started: trainees, ThinkMS: ms(think)}
	var mu sync.Mutex
	var saves []float64
	var wg sync.WaitGroup
	begin := time.Now()
	for i := 0; i < trainees; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(time.Duration(float64(ramp) * float64(i) / float64(max(trainees, 1))))
			cn := lt.conn(base)
			defer cn.close()
			for k := 0; k < answers; k++ {
				if think > 0 {
					time.Sleep(time.Duration(float64(2*think) * float64((i*31+k*17)%100) / 100))
				}
				t := time.Now()
				_, err := lt.callAt(ctx, cn, base, "PUT", fmt.Sprintf("/a/att%05d/q%02d", i, k), "", map[string]any{"response": "b"}, nil)
				d := ms(time.Since(t))
				mu.Lock()
				sum.AnswersSent++
				if err != nil {
					sum.Errors++
				} else {
					saves = append(saves, d)
				}
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	sum.Seconds = time.Since(begin).Seconds()
	sum.Saved = len(saves)
	sum.P50, sum.P99 = quantile(saves, 0.5), quantile(saves, 0.99)
	if sum.Seconds > 0 {
		sum.PerSecond = float64(sum.Saved) / sum.Seconds
	}
	return sum, nil
}

// runBareServer serves the baseline's bare upsert handler on a free loopback port, prints
// the address on stdout, and stops at an interrupt.
func runBareServer(ctx context.Context, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "safedesk-baseline-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dsn := "file:" + filepath.Join(dir, "b.db") + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE answers (attempt_id TEXT, question_id TEXT, response TEXT, saved_at BIGINT,
		PRIMARY KEY (attempt_id, question_id))`); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /a/{attempt}/{question}", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		_, err := db.ExecContext(r.Context(), `INSERT INTO answers (attempt_id, question_id, response, saved_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (attempt_id, question_id) DO UPDATE SET response = excluded.response, saved_at = excluded.saved_at`,
			r.PathValue("attempt"), r.PathValue("question"), string(body), time.Now().UnixMilli())
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Write([]byte(`{"saved":true}`))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()
	fmt.Fprintln(stdout, ln.Addr().String())
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}
