package cert

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"safedesk"
)

// fakeClock is an injected safedesk.Clock that stands still until moved.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

var _ safedesk.Clock = (*fakeClock)(nil)

func mustRing(t testing.TB, signer ed25519.PrivateKey, verify ...ed25519.PublicKey) *Keyring {
	t.Helper()
	k, err := NewKeyring(signer, verify...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

func TestSignVerifyRoundTrip(t *testing.T) {
	ring := mustRing(t, testKey(1))
	p := testPayload()
	p.KeyID = ""
	p.IssuedAt = p.IssuedAt.Add(123 * time.Millisecond)
	s, err := ring.Sign(p)
	if err != nil {
		t.Fatal(err)
	}
	if s.Payload.KeyID != ring.CurrentKeyID() {
		t.Errorf("signed with kid %q, want the current %q", s.Payload.KeyID, ring.CurrentKeyID())
	}
	if s.Payload.IssuedAt.Nanosecond() != 0 || s.Payload.IssuedAt.Location() != time.UTC {
		t.Errorf("signed payload keeps IssuedAt %v, want UTC seconds", s.Payload.IssuedAt)
	}
	if len(s.Signature) != ed25519.SignatureSize || len(s.PayloadHash) != 64 {
		t.Errorf("signature %d bytes, hash %q", len(s.Signature), s.PayloadHash)
	}
	st, err := Verify(s, ring, s.Payload.IssuedAt.Add(time.Hour), false)
	if err != nil || st != StatusValid {
		t.Errorf("Verify = %s, %v; want valid", st, err)
	}
	// A verifier that holds only the public key agrees.
	st, err = Verify(s, mustRing(t, nil, pub(testKey(1))), s.Payload.IssuedAt, false)
	if err != nil || st != StatusValid {
		t.Errorf("Verify with the public key only = %s, %v", st, err)
	}
}

func TestVerifyTampered(t *testing.T) {
	ring := mustRing(t, testKey(1), pub(testKey(2)))
	s, err := ring.Sign(testPayload())
	if err != nil {
		t.Fatal(err)
	}
	now := s.Payload.IssuedAt.Add(time.Hour)
	edits := map[string]func(*Payload){
		"holder":                   func(p *Payload) { p.Holder = "李四" },
		"holder_lang":              func(p *Payload) { p.HolderLang = "en" },
		"course_id":                func(p *Payload) { p.CourseID = "other" },
		"course_title":             func(p *Payload) { p.CourseTitle = "别的课程" },
		"course_version":           func(p *Payload) { p.CourseVersion = "3.0" },
		"issued_at":                func(p *Payload) { p.IssuedAt = p.IssuedAt.Add(-time.Second) },
		"expires_at":               func(p *Payload) { p.ExpiresAt = p.ExpiresAt.AddDate(5, 0, 0) },
		"issuer":                   func(p *Payload) { p.Issuer = "Someone Else" },
		"code":                     func(p *Payload) { p.Code = "AAAA-AAAA-AAAA" },
		"kid to another known key": func(p *Payload) { p.KeyID = KeyID(pub(testKey(2))) },
		"malformed":                func(p *Payload) { p.Holder = "" },
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			c := s
			edit(&c.Payload)
			st, err := Verify(c, ring, now, false)
			if st != StatusUnknown || !errors.Is(err, ErrTampered) {
				t.Errorf("Verify = %s, %v; want unknown, ErrTampered", st, err)
			}
			if errors.Is(err, ErrBadSignature) || errors.Is(err, ErrUnknownKey) {
				t.Errorf("tampering also reported as another failure: %v", err)
			}
			if safedesk.ErrorCode(err) != safedesk.EINVALID {
				t.Errorf("ErrorCode = %q, want invalid", safedesk.ErrorCode(err))
			}
		})
	}
}

func TestVerifyUnknownKey(t *testing.T) {
	s, err := Sign(testPayload(), testKey(3))
	if err != nil {
		t.Fatal(err)
	}
	st, err := Verify(s, mustRing(t, testKey(1), pub(testKey(2))), s.Payload.IssuedAt, false)
	if st != StatusUnknown || !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Verify = %s, %v; want unknown, ErrUnknownKey", st, err)
	}
}

func TestVerifyBadSignature(t *testing.T) {
	ring := mustRing(t, testKey(1))
	s, _ := ring.Sign(testPayload())
	cases := map[string]func(*Signed){
		"bit flipped": func(s *Signed) { s.Signature = append([]byte(nil), s.Signature...); s.Signature[10] ^= 1 },
		"truncated":   func(s *Signed) { s.Signature = s.Signature[:63] },
		"empty":       func(s *Signed) { s.Signature = nil },
		"no hash, payload edited": func(s *Signed) {
			s.PayloadHash = "" // without the hash an edit cannot be told from a bad signature
			s.Payload.Holder = "李四"
		},
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			c := s
			edit(&c)
			st, err := Verify(c, ring, c.Payload.IssuedAt, false)
			if st != StatusUnknown || !errors.Is(err, ErrBadSignature) {
				t.Errorf("Verify = %s, %v; want unknown, ErrBadSignature", st, err)
			}
		})
	}
}

func TestVerifyRotatedKeys(t *testing.T) {
	before := mustRing(t, testKey(1))
	old, _ := before.Sign(testPayload())
	after := mustRing(t, testKey(2), pub(testKey(1)))
	fresh, _ := after.Sign(testPayload())
	if fresh.Payload.KeyID == old.Payload.KeyID {
		t.Fatal("rotation kept the key id")
	}
	for name, s := range map[string]Signed{"old": old, "new": fresh} {
		if st, err := Verify(s, after, s.Payload.IssuedAt, false); err != nil || st != StatusValid {
			t.Errorf("%s certificate after rotation: %s, %v", name, st, err)
		}
	}
	if _, err := Verify(fresh, before, fresh.Payload.IssuedAt, false); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("the old ring verified a certificate of the new key: %v", err)
	}
}

func TestVerifyExpiryBoundary(t *testing.T) {
	ring := mustRing(t, testKey(1))
	s, _ := ring.Sign(testPayload())
	clock := &fakeClock{}
	exp := s.Payload.ExpiresAt
	tests := []struct {
		name    string
		now     time.Time
		revoked bool
		want    Status
	}{
		{"at issue", s.Payload.IssuedAt, false, StatusValid},
		{"a nanosecond before expiry", exp.Add(-time.Nanosecond), false, StatusValid},
		{"a second before expiry", exp.Add(-time.Second), false, StatusValid},
		{"exactly at expiry", exp, false, StatusExpired},
		{"after expiry", exp.Add(time.Second), false, StatusExpired},
		{"revoked while valid", exp.Add(-time.Hour), true, StatusRevoked},
		{"revoked and expired", exp.Add(time.Hour), true, StatusRevoked},
		{"just inside the clock skew", s.Payload.IssuedAt.Add(-MaxClockSkew), false, StatusValid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock.now = tt.now
			st, err := Verify(s, ring, clock.Now(), tt.revoked)
			if err != nil || st != tt.want {
				t.Errorf("Verify at %v = %s, %v; want %s", tt.now, st, err, tt.want)
			}
		})
	}
	clock.now = s.Payload.IssuedAt.Add(-MaxClockSkew - time.Second)
	if st, err := Verify(s, ring, clock.Now(), false); st != StatusUnknown || !errors.Is(err, ErrNotYetValid) {
		t.Errorf("Verify before issue = %s, %v; want unknown, ErrNotYetValid", st, err)
	}
}

func TestSignRefuses(t *testing.T) {
	p := testPayload()
	p.Holder = ""
	if _, err := Sign(p, testKey(1)); safedesk.ErrorCode(err) != safedesk.EINVALID {
		t.Errorf("Sign of an invalid payload: %v", err)
	}
	if _, err := Sign(testPayload(), ed25519.PrivateKey{1, 2}); err == nil {
		t.Error("Sign with a short key succeeded")
	}
	if _, err := mustRing(t, nil, pub(testKey(1))).Sign(testPayload()); err == nil {
		t.Error("a verify-only ring signed")
	}
}

func TestNewResult(t *testing.T) {
	p := testPayload()
	p.Holder = "张小三"
	r := NewResult(p, StatusValid)
	b, _ := json.Marshal(r)
	want := `{"valid":true,"status":"valid","holder":"张*三","course":"电商客服信息安全","course_version":"2.1",` +
		`"issued_at":"2026-03-01T08:00:00Z","expires_at":"2027-03-01T08:00:00Z"}`
	if string(b) != want {
		t.Errorf("result JSON =\n%s\nwant\n%s", b, want)
	}
	if r := NewResult(p, StatusExpired); r.Valid || r.Status != StatusExpired {
		t.Errorf("expired result = %+v", r)
	}
	b, _ = json.Marshal(NewResult(p, StatusUnknown))
	if want := `{"valid":false,"status":"unknown","holder":"","course":""}`; string(b) != want {
		t.Errorf("unknown result = %s, want %s (nothing about the payload)", b, want)
	}
}

func BenchmarkSign(b *testing.B) {
	ring := mustRing(b, testKey(1))
	p := testPayload()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ring.Sign(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	ring := mustRing(b, testKey(1))
	s, _ := ring.Sign(testPayload())
	now := s.Payload.IssuedAt
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(s, ring, now, false); err != nil {
			b.Fatal(err)
		}
	}
}
