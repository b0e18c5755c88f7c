package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestOwnConnection: a trainee's own connection carries requests one after another, reads
// plain, chunked and closing responses, and sends a request again on a new connection when
// the server has closed the old one while it was idle.
func TestOwnConnection(t *testing.T) {
	var conns atomic.Int64
	var closeNext atomic.Bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/echo":
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, r.Method+" "+r.Header.Get("Authorization")+" "+string(body))
		case "/chunked":
			w.Write([]byte(strings.Repeat("a", 5000)))
			w.(http.Flusher).Flush()
			w.Write([]byte(strings.Repeat("b", 5000)))
		case "/close":
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, "bye")
		}
	}))
	srv.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
		if st == http.StateIdle && closeNext.Swap(false) {
			c.Close() // the server drops an idle connection, as after its idle timeout
		}
	}
	srv.Start()
	defer srv.Close()

	cn, err := newConn(srv.URL, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer cn.close()
	for i := 0; i < 3; i++ {
		st, body, err := cn.roundTrip("PUT", "/echo", "tok", []byte(`{"a":1}`))
		if err != nil || st != 200 || string(body) != `PUT Bearer tok {"a":1}` {
			t.Fatalf("round %d: %d %q %v", i, st, body, err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("3 requests used %d connections, want 1", n)
	}
	st, body, err := cn.roundTrip("GET", "/chunked", "", nil)
	if err != nil || st != 200 || len(body) != 10000 || body[0] != 'a' || body[9999] != 'b' {
		t.Fatalf("chunked: %d %d bytes %v", st, len(body), err)
	}

	closeNext.Store(true)
	cn.roundTrip("GET", "/echo", "", nil) // the server closes the connection once this is answered
	time.Sleep(50 * time.Millisecond)
	st, body, err = cn.roundTrip("POST", "/echo", "", []byte("x"))
	if err != nil || st != 200 || string(body) != "POST  x" {
		t.Fatalf("after the server closed the idle connection: %d %q %v", st, body, err)
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("connections after the server closed one: %d, want 2", n)
	}

	st, body, err = cn.roundTrip("GET", "/close", "", nil)
	if err != nil || st != http.StatusConflict || string(body) != "bye" || cn.c != nil {
		t.Fatalf("closing response: %d %q %v, connection kept: %v", st, body, err, cn.c != nil)
	}
	if _, _, err := cn.roundTrip("GET", "/echo", "", nil); err != nil {
		t.Fatalf("after a closing response: %v", err)
	}

	if _, err := newConn("https://example.com", time.Second); err == nil {
		t.Error("an https URL was accepted for a plain connection")
	}
	srv.Close()
	if _, _, err := cn.roundTrip("GET", "/echo", "", nil); err == nil {
		t.Error("a request to a stopped server succeeded")
	}
}
