package http

import (
	"io"
	"net/http"
	"slices"
	"sync"
	"unicode/utf8"

	"safedesk"
)

// MaxCheckText bounds one live check; a chat message is far shorter.
const MaxCheckText = 20000

// maxCheckBody bounds the request body, as for every other JSON call.
const maxCheckBody = 1 << 20

// checkBufs hold a request body and then the response: the live check is the API's hot
// path, and a buffer reused across requests keeps it from allocating either.
var checkBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

func (s *Server) handleAPICheck(w http.ResponseWriter, r *http.Request) error {
	if ok, wait := s.limits.check.allow(currentUser(r).ID); !ok {
		return rateLimited(wait)
	}
	bp := checkBufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 64<<10 { // an outsized buffer is left to the collector
			checkBufs.Put(bp)
		}
	}()
	body, err := readBody(r, (*bp)[:0], maxCheckBody)
	*bp = body[:0]
	if err != nil {
		return err
	}
	req, err := decodeCheckRequest(body)
	if err != nil {
		return err
	}
	switch req.Role {
	case "":
		req.Role = "customer"
	case "customer", "agent":
	default:
		return safedesk.FieldError("role", "role is agent or customer.")
	}
	if !utf8.ValidString(req.Text) {
		return safedesk.FieldError("text", "text is not valid UTF-8.")
	}
	if len(req.Text) > MaxCheckText {
		return safedesk.FieldError("text", "text is longer than %d bytes.", MaxCheckText)
	}
	if s.Checker == nil {
		return safedesk.Errorf(safedesk.EINTERNAL, "The risk engine is not available.")
	}
	// The request's strings are copies, so the body's buffer takes the response.
	out, err := s.Checker.AppendCheckJSON(body[:0], req.Role, req.Text)
	if err != nil {
		return err
	}
	out = append(out, '\n')
	*bp = out[:0]
	writeJSONBytes(w, http.StatusOK, out)
	return nil
}

// readBody appends r's body to dst, refusing one longer than limit bytes.
func readBody(r *http.Request, dst []byte, limit int) ([]byte, error) {
	if n := r.ContentLength; n > int64(limit) {
		return dst, tooLarge()
	} else if n > 0 {
		dst = slices.Grow(dst, int(n)+1) // one byte more lets the read that meets the end not grow it
	}
	for {
		if len(dst) == cap(dst) {
			dst = slices.Grow(dst, 4<<10)
		}
		n, err := r.Body.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if len(dst) > limit {
			return dst, tooLarge()
		}
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, safedesk.Errorf(safedesk.EINVALID, "The request body could not be read.")
		}
	}
}

func tooLarge() error {
	return safedesk.Errorf(safedesk.EINVALID, "The request body is larger than %d MiB.", maxCheckBody>>20)
}
