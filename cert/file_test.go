package cert

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestFileRoundTrip(t *testing.T) {
	ring := mustRing(t, testKey(1))
	s, _ := ring.Sign(testPayload())
	data, err := s.MarshalFile()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"format": "safedesk-certificate/1"`, `"alg": "Ed25519"`, `"kid": "` + s.Payload.KeyID + `"`, `"holder": "张三"`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("file lacks %s:\n%s", want, data)
		}
	}
	got, st, err := VerifyFile(data, mustRing(t, nil, pub(testKey(1))), s.Payload.IssuedAt)
	if err != nil || st != StatusValid {
		t.Fatalf("VerifyFile = %s, %v", st, err)
	}
	if got.Payload != s.Payload || !bytes.Equal(got.Signature, s.Signature) || got.PayloadHash != s.PayloadHash {
		t.Errorf("file read back as %+v, want %+v", got, s)
	}
	// Re-indenting or compacting the file does not break it.
	var compact bytes.Buffer
	json.Compact(&compact, data)
	if _, st, err := VerifyFile(compact.Bytes(), ring, s.Payload.IssuedAt); err != nil || st != StatusValid {
		t.Errorf("compacted file: %s, %v", st, err)
	}
}

func TestFileTampering(t *testing.T) {
	ring := mustRing(t, testKey(1))
	s, _ := ring.Sign(testPayload())
	data, _ := s.MarshalFile()
	tests := []struct {
		name, old, new string
		want           error
	}{
		{"holder edited", `"holder": "张三"`, `"holder": "李四"`, ErrTampered},
		{"expiry extended", `"expires_at": "2027-03-01T08:00:00Z"`, `"expires_at": "2037-03-01T08:00:00Z"`, ErrTampered},
		{"envelope kid differs", `"kid": "` + s.Payload.KeyID + `",` + "\n  \"payload", `"kid": "0000000000000000",` + "\n  \"payload", ErrTampered},
		{"signature replaced", `"signature": "`, `"signature": "AAAA`, ErrBadSignature},
		{"repeated holder", `"holder": "张三"`, `"holder": "李四", "holder": "张三"`, ErrMalformed},
		{"extra payload field", `"holder": "张三"`, `"holder": "张三", "note": "x"`, ErrMalformed},
		{"extra envelope field", `"alg": "Ed25519"`, `"alg": "Ed25519", "x": 1`, ErrMalformed},
		{"other algorithm", `"alg": "Ed25519"`, `"alg": "none"`, ErrMalformed},
		{"other format", `safedesk-certificate/1`, `safedesk-certificate/9`, ErrMalformed},
		{"signature not base64url", `"signature": "`, `"signature": "+/`, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := strings.Replace(string(data), tt.old, tt.new, 1)
			if edited == string(data) {
				t.Fatalf("the edit %q did not apply to\n%s", tt.old, data)
			}
			_, st, err := VerifyFile([]byte(edited), ring, s.Payload.IssuedAt)
			if st != StatusUnknown || !errors.Is(err, tt.want) {
				t.Errorf("VerifyFile = %s, %v; want unknown, %v", st, err, tt.want)
			}
		})
	}
	for name, doc := range map[string]string{
		"empty": "", "array": "[]", "two documents": string(data) + string(data),
		"no payload": `{"format":"safedesk-certificate/1","alg":"Ed25519","kid":"","signature":""}`,
		"huge":       `{"format":"` + strings.Repeat("x", maxFile) + `"}`,
	} {
		if _, err := ParseFile([]byte(doc)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: ParseFile = %v, want ErrMalformed", name, err)
		}
	}
}

func FuzzParseFile(f *testing.F) {
	ring := mustRing(f, testKey(1))
	s, _ := ring.Sign(testPayload())
	data, _ := s.MarshalFile()
	f.Add(data)
	f.Add([]byte(`{"format":"safedesk-certificate/1","payload":{},"alg":"Ed25519","kid":"","signature":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseFile(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTampered) {
				t.Fatalf("ParseFile error %v wraps neither ErrMalformed nor ErrTampered", err)
			}
			return
		}
		st, err := Verify(s, ring, s.Payload.IssuedAt, false)
		if err == nil {
			// Only the real certificate, perhaps re-spaced, can verify.
			if st != StatusValid && st != StatusExpired {
				t.Fatalf("status %s without an error", st)
			}
			again, err := s.MarshalFile()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ParseFile(again); err != nil {
				t.Fatalf("a verified certificate does not survive MarshalFile: %v", err)
			}
		}
	})
}
