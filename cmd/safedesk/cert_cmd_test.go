package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"safedesk/cert"
)

// certRun runs `safedesk cert ARGS` and returns its output and exit status.
func certRun(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"cert"}, args...), env(vars), nil, &out, &errb)
	var ec exitCode
	switch {
	case err == nil:
	case errors.As(err, &ec):
		code = int(ec)
	default:
		errb.WriteString(err.Error())
		code = -1
	}
	return out.String(), errb.String(), code
}

// issuer is an installation's keys, a certificate file it signed and its published key set.
type issuer struct {
	dir     string
	keys    *cert.Keyring
	keySet  string // path of the saved key set
	payload cert.Payload
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	dir := t.TempDir()
	keys, err := cert.OpenKeyDir(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := keys.MarshalKeySet()
	if err != nil {
		t.Fatal(err)
	}
	is := &issuer{dir: dir, keys: keys, keySet: filepath.Join(dir, "keys.json")}
	if err := os.WriteFile(is.keySet, set, 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	is.payload = cert.Payload{Code: cert.NewCode(), Holder: "张三", HolderLang: "zh-CN", CourseID: "default",
		CourseTitle: "电商客服安全培训", CourseVersion: "1.0.0", IssuedAt: now.AddDate(0, -1, 0), ExpiresAt: now.AddDate(0, 11, 0),
		Issuer: "SafeDesk Test"}
	return is
}

// file signs p and saves the certificate file, returning its path.
func (is *issuer) file(t *testing.T, name string, p cert.Payload) string {
	t.Helper()
	signed, err := is.keys.Sign(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := signed.MarshalFile()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(is.dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCertVerifyFileOffline(t *testing.T) {
	is := newIssuer(t)
	good := is.file(t, "good.json", is.payload)

	for _, args := range [][]string{{"verify", good, "--keys", is.keySet}, {"verify", "--keys", is.keySet, good}} {
		out, errOut, code := certRun(t, nil, args...)
		if code != 0 || !strings.Contains(out, "status:   valid") || !strings.Contains(out, "holder:   张三") ||
			!strings.Contains(out, is.payload.Code) || !strings.Contains(out, "offline verification cannot see revocation") {
			t.Fatalf("%v: %d\n%s%s", args, code, out, errOut)
		}
	}

	expiredPayload := is.payload
	expiredPayload.IssuedAt, expiredPayload.ExpiresAt = is.payload.IssuedAt.AddDate(-2, 0, 0), is.payload.IssuedAt.AddDate(-1, 0, 0)
	expired := is.file(t, "expired.json", expiredPayload)
	if out, _, code := certRun(t, nil, "verify", expired, "--keys", is.keySet); code != 1 || !strings.Contains(out, "status:   expired") {
		t.Errorf("expired: %d\n%s", code, out)
	}

	// A name changed after signing.
	b, _ := os.ReadFile(good)
	tampered := filepath.Join(is.dir, "tampered.json")
	os.WriteFile(tampered, bytes.Replace(b, []byte("张三"), []byte("李四"), 1), 0o644)
	if out, errOut, code := certRun(t, nil, "verify", tampered, "--keys", is.keySet); code != 1 || !strings.Contains(out, "status:   unknown") ||
		!strings.Contains(out, "altered") {
		t.Errorf("tampered: %d\n%s%s", code, out, errOut)
	}

	// Another installation's keys do not vouch for it.
	other := newIssuer(t)
	if out, _, code := certRun(t, nil, "verify", good, "--keys", other.keySet); code != 1 || !strings.Contains(out, "key this installation does not know") {
		t.Errorf("unknown key: %d\n%s", code, out)
	}

	// After the issuer rotates its key, the old certificate still verifies against the new
	// key set, and one signed with the new key does too.
	data := is.dir
	out, errOut, code := certRun(t, nil, "rotate", "--data", data)
	if code != 0 {
		t.Fatalf("rotate: %d %s", code, errOut)
	}
	oldID, newID := is.keys.CurrentKeyID(), ""
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "new key:  "); ok {
			newID, _, _ = strings.Cut(v, " ")
		}
	}
	if !strings.Contains(out, "old key:  "+oldID) || newID == "" || newID == oldID {
		t.Fatalf("rotate output:\n%s", out)
	}
	rotated, err := cert.OpenKeyDir(filepath.Join(data, "keys"))
	if err != nil || rotated.CurrentKeyID() != newID || len(rotated.KeyIDs()) != 2 {
		t.Fatalf("after rotation: %v %v", rotated.KeyIDs(), err)
	}
	set, _ := rotated.MarshalKeySet()
	os.WriteFile(is.keySet, set, 0o644)
	is.keys = rotated
	fresh := is.file(t, "fresh.json", is.payload)
	for _, f := range []string{good, fresh} {
		if out, _, code := certRun(t, nil, "verify", f, "--keys", is.keySet); code != 0 {
			t.Errorf("%s after rotation: %d\n%s", filepath.Base(f), code, out)
		}
	}

	// Misuse.
	for _, args := range [][]string{{"verify"}, {"verify", good}, {"verify", "not a code!"}, {"verify", "ABCD-EFGH-JKMN"}, {"frobnicate"}} {
		if _, _, code := certRun(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// fakeIssuer serves the published key set and the public verify API as the server does,
// with the register's statuses by code.
func fakeIssuer(t *testing.T, is *issuer, statuses map[string]string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+cert.KeySetPath, func(w http.ResponseWriter, r *http.Request) {
		b, _ := is.keys.MarshalKeySet()
		w.Write(b)
	})
	mux.HandleFunc("GET /api/v1/certificates/verify/{code}", func(w http.ResponseWriter, r *http.Request) {
		st, ok := statuses[r.PathValue("code")]
		if !ok {
			json.NewEncoder(w).Encode(map[string]any{"valid": false, "status": "unknown"})
			return
		}
		p := is.payload
		json.NewEncoder(w).Encode(map[string]any{"valid": st == "valid", "status": st, "holder": cert.MaskName(p.Holder),
			"course": p.CourseTitle, "course_version": p.CourseVersion, "issued_at": p.IssuedAt, "expires_at": p.ExpiresAt, "code": p.Code})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestCertVerifyOnline(t *testing.T) {
	is := newIssuer(t)
	good := is.file(t, "good.json", is.payload)
	statuses := map[string]string{is.payload.Code: "valid"}
	srv := fakeIssuer(t, is, statuses)
	keysURL := srv.URL + cert.KeySetPath

	// A file against keys fetched from the issuer: still offline as to revocation.
	out, errOut, code := certRun(t, nil, "verify", good, "--keys", keysURL)
	if code != 0 || !strings.Contains(out, "status:   valid") || !strings.Contains(out, "cannot see revocation") {
		t.Fatalf("file, keys by URL: %d\n%s%s", code, out, errOut)
	}
	// With --url the register is asked too, and a revocation shows.
	if out, _, code := certRun(t, nil, "verify", good, "--url", srv.URL); code != 0 || !strings.Contains(out, "register: valid") {
		t.Errorf("file with --url: %d\n%s", code, out)
	}
	statuses[is.payload.Code] = "revoked"
	if out, _, code := certRun(t, nil, "verify", good, "--url", srv.URL); code != 1 || !strings.Contains(out, "status:   revoked") {
		t.Errorf("revoked file with --url: %d\n%s", code, out)
	}

	// A code asks the server; its address comes from --url, the --keys URL or the
	// environment. Lower case and missing dashes are fine.
	typed := strings.ToLower(strings.ReplaceAll(is.payload.Code, "-", ""))
	if out, _, code := certRun(t, nil, "verify", typed, "--keys", keysURL); code != 1 || !strings.Contains(out, "status:   revoked") {
		t.Errorf("revoked code: %d\n%s", code, out)
	}
	statuses[is.payload.Code] = "valid"
	for _, tc := range []struct {
		vars map[string]string
		args []string
	}{
		{nil, []string{"verify", typed, "--url", srv.URL}},
		{nil, []string{"verify", "--keys", keysURL, is.payload.Code}},
		{map[string]string{"SAFEDESK_BASE_URL": srv.URL}, []string{"verify", is.payload.Code}},
	} {
		out, errOut, code := certRun(t, tc.vars, tc.args...)
		if code != 0 || !strings.Contains(out, "status:   valid") || !strings.Contains(out, "holder:   张*") || !strings.Contains(out, "online") {
			t.Errorf("%v: %d\n%s%s", tc.args, code, out, errOut)
		}
	}
	if out, _, code := certRun(t, nil, "verify", cert.NewCode(), "--url", srv.URL); code != 1 || !strings.Contains(out, "status:   unknown") {
		t.Errorf("unknown code: %d\n%s", code, out)
	}
	// A server that is not SafeDesk, or is down, is an error, not a verdict.
	if _, errOut, code := certRun(t, nil, "verify", is.payload.Code, "--url", srv.URL+"/nothing"); code != -1 || !strings.Contains(errOut, "404") {
		t.Errorf("wrong server: %d %s", code, errOut)
	}
}

func TestCertRotateNeedsKeys(t *testing.T) {
	data := t.TempDir()
	if _, errOut, code := certRun(t, nil, "rotate", "--data", data); code != 1 || !strings.Contains(errOut, "no keys") {
		t.Errorf("rotate before any key: %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(data, "keys")); err == nil {
		t.Error("rotate created a key directory")
	}
	if _, errOut, code := certRun(t, map[string]string{"SAFEDESK_CERT_KEY": "/etc/safedesk/key.pem"}, "rotate", "--data", data); code != 1 ||
		!strings.Contains(errOut, "SAFEDESK_CERT_KEY") {
		t.Errorf("rotate with a configured key: %d %s", code, errOut)
	}
}
