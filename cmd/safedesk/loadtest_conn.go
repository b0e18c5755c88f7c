package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ltConn is one trainee's connection to the server: the trainee's requests go out one
// after another on it, as a browser tab's do. The tool speaks HTTP/1.1 on it directly
// instead of through http.Client's pool, because the tool shares the machine with the
// server it measures: the pool hands every request to a writer and a reader goroutine of
// its connection and back, and on two cores that work is taken from the server.
type ltConn struct {
	addr, host string
	timeout    time.Duration
	c          net.Conn
	br         *bufio.Reader
	buf        []byte
	// answered says the connection has carried a response: a failure on it may be the
	// server closing it while idle, and the request is sent again on a new one.
	answered bool
}

// newConn returns a connection to base, opened on first use.
func newConn(base string, timeout time.Duration) (*ltConn, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("loadtest: own connections speak plain HTTP, not %q", u.Scheme)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return &ltConn{addr: addr, host: u.Host, timeout: timeout}, nil
}

// roundTrip sends one request and reads its response. A request that fails on a
// connection that has answered before is sent once more on a fresh one, as http.Client
// does for a connection the server closed while idle; every request the tool sends may be
// repeated (saves and submits are idempotent, a repeated start finds the attempt begun).
func (cn *ltConn) roundTrip(method, path, token string, payload []byte) (int, []byte, error) {
	status, body, err := cn.try(method, path, token, payload)
	if err != nil && cn.answered {
		cn.close()
		status, body, err = cn.try(method, path, token, payload)
	}
	if err != nil {
		cn.close()
	}
	return status, body, err
}

func (cn *ltConn) try(method, path, token string, payload []byte) (int, []byte, error) {
	if cn.c == nil {
		c, err := net.DialTimeout("tcp", cn.addr, cn.timeout)
		if err != nil {
			return 0, nil, err
		}
		cn.c, cn.answered = c, false
		if cn.br == nil {
			cn.br = bufio.NewReaderSize(c, 16<<10)
		} else {
			cn.br.Reset(c)
		}
	}
	if err := cn.c.SetDeadline(time.Now().Add(cn.timeout)); err != nil {
		return 0, nil, err
	}
	b := cn.buf[:0]
	b = append(b, method...)
	b = append(b, ' ')
	b = append(b, path...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, cn.host...)
	b = append(b, "\r\nUser-Agent: safedesk-loadtest\r\n"...)
	if token != "" {
		b = append(b, "Authorization: Bearer "...)
		b = append(b, token...)
		b = append(b, "\r\n"...)
	}
	if payload != nil {
		b = append(b, "Content-Type: application/json\r\n"...)
	}
	b = append(b, "Content-Length: "...)
	b = strconv.AppendInt(b, int64(len(payload)), 10)
	b = append(b, "\r\n\r\n"...)
	b = append(b, payload...)
	cn.buf = b
	if _, err := cn.c.Write(b); err != nil {
		return 0, nil, err
	}
	resp, err := http.ReadResponse(cn.br, nil)
	if err != nil {
		return 0, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, nil, err
	}
	cn.answered = true
	if resp.Close {
		cn.close()
	}
	return resp.StatusCode, body, nil
}

// close closes the connection, if any; a nil ltConn (a trainee on the shared client) has
// nothing to close.
func (cn *ltConn) close() {
	if cn != nil && cn.c != nil {
		cn.c.Close()
		cn.c = nil
	}
}
