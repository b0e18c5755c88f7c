package cert

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"safedesk"
)

// testKey returns a fixed key, so golden outputs stay put; seed picks one of several.
func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

// testPayload returns a valid payload signed by nobody yet.
func testPayload() Payload {
	return Payload{
		Code:          "7KQM-C2XH-9RTD",
		Holder:        "张三",
		HolderLang:    "zh-CN",
		CourseID:      "cs-security",
		CourseTitle:   "电商客服信息安全",
		CourseVersion: "2.1",
		IssuedAt:      time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
		ExpiresAt:     time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC),
		Issuer:        "Starlight Commerce",
		KeyID:         KeyID(testKey(1).Public().(ed25519.PublicKey)),
	}
}

func TestCanonical(t *testing.T) {
	p := testPayload()
	p.Holder = `Zhang "San" \ <b>`
	got, err := p.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"code":"7KQM-C2XH-9RTD","course_id":"cs-security","course_title":"电商客服信息安全",` +
		`"course_version":"2.1","expires_at":"2027-03-01T08:00:00Z","holder":"Zhang \"San\" \\ <b>",` +
		`"holder_lang":"zh-CN","issued_at":"2026-03-01T08:00:00Z","issuer":"Starlight Commerce",` +
		`"kid":"` + p.KeyID + `","typ":"safedesk.certificate.v1"}`
	if string(got) != want {
		t.Errorf("Canonical =\n%s\nwant\n%s", got, want)
	}
	// It is valid JSON with sorted keys that decodes to the same strings.
	var m map[string]string
	if err := json.Unmarshal(got, &m); err != nil {
		t.Fatalf("canonical form is not JSON: %v", err)
	}
	if m["holder"] != p.Holder {
		t.Errorf("holder decodes as %q, want %q", m["holder"], p.Holder)
	}
}

func TestCanonicalNormalizesTimes(t *testing.T) {
	p := testPayload()
	a, _ := p.Canonical()
	cst := time.FixedZone("CST", 8*3600)
	p.IssuedAt = p.IssuedAt.In(cst).Add(400 * time.Millisecond)
	p.ExpiresAt = p.ExpiresAt.In(cst)
	b, err := p.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("the same instants in another zone give other bytes:\n%s\n%s", a, b)
	}
	p = testPayload()
	p.HolderLang = ""
	c, _ := p.Canonical()
	if bytes.Contains(c, []byte("holder_lang")) {
		t.Errorf("an empty holder_lang is written: %s", c)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Payload)
		field string
	}{
		{"code not printed", func(p *Payload) { p.Code = "7kqmc2xh9rtd" }, "code"},
		{"code bogus", func(p *Payload) { p.Code = "nope" }, "code"},
		{"holder empty", func(p *Payload) { p.Holder = "" }, "holder"},
		{"holder too long", func(p *Payload) { p.Holder = strings.Repeat("张", 129) }, "holder"},
		{"holder newline", func(p *Payload) { p.Holder = "张\n三" }, "holder"},
		{"holder NUL", func(p *Payload) { p.Holder = "张\x00三" }, "holder"},
		{"holder bidi override", func(p *Payload) { p.Holder = "abc\u202Edef" }, "holder"},
		{"holder line separator", func(p *Payload) { p.Holder = "a\u2028b" }, "holder"},
		{"holder invalid UTF-8", func(p *Payload) { p.Holder = "\xff" }, "holder"},
		{"holder_lang odd", func(p *Payload) { p.HolderLang = "zh CN" }, "holder_lang"},
		{"course_id empty", func(p *Payload) { p.CourseID = "" }, "course_id"},
		{"course_title empty", func(p *Payload) { p.CourseTitle = "" }, "course_title"},
		{"course_version empty", func(p *Payload) { p.CourseVersion = "" }, "course_version"},
		{"issuer tab", func(p *Payload) { p.Issuer = "a\tb" }, "issuer"},
		{"issued zero", func(p *Payload) { p.IssuedAt = time.Time{} }, "issued_at"},
		{"expires far future", func(p *Payload) { p.ExpiresAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "expires_at"},
		{"expires at issue", func(p *Payload) { p.ExpiresAt = p.IssuedAt }, "expires_at"},
		{"expires before issue", func(p *Payload) { p.ExpiresAt = p.IssuedAt.Add(-time.Hour) }, "expires_at"},
		{"kid empty", func(p *Payload) { p.KeyID = "" }, "kid"},
		{"kid uppercase", func(p *Payload) { p.KeyID = strings.ToUpper(p.KeyID) }, "kid"},
	}
	if err := testPayload().Validate(); err != nil {
		t.Fatalf("the test payload is invalid: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPayload()
			tt.edit(&p)
			err := p.Validate()
			e, ok := err.(*safedesk.Error)
			if !ok || e.Code != safedesk.EINVALID || e.Field != tt.field {
				t.Errorf("Validate = %v, want EINVALID on %s", err, tt.field)
			}
			if _, err := p.Canonical(); err == nil {
				t.Error("Canonical accepted an invalid payload")
			}
		})
	}
	t.Run("emoji and ZWJ are fine", func(t *testing.T) {
		p := testPayload()
		p.Holder = "Ana 👩‍💻"
		if err := p.Validate(); err != nil {
			t.Error(err)
		}
	})
}

func TestPayloadJSONRoundTrip(t *testing.T) {
	p := testPayload()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q Payload
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if q != p {
		t.Errorf("round trip gave %+v, want %+v", q, p)
	}
	// Indentation does not matter.
	var ind bytes.Buffer
	json.Indent(&ind, b, "", "  ")
	if err := json.Unmarshal(ind.Bytes(), &q); err != nil || q != p {
		t.Errorf("indented payload read as %+v, %v", q, err)
	}
}

func TestPayloadUnmarshalStrict(t *testing.T) {
	good, _ := testPayload().Canonical()
	tests := []struct {
		name, json, want string
	}{
		{"not an object", `[]`, "not a JSON object"},
		{"unknown key", strings.Replace(string(good), `{`, `{"note":"x",`, 1), "unknown key"},
		{"repeated key", strings.Replace(string(good), `{`, `{"holder":"Mallory",`, 1), "repeats key"},
		{"missing key", strings.Replace(string(good), `"issuer":"Starlight Commerce",`, ``, 1), "lacks key"},
		{"number value", strings.Replace(string(good), `"2.1"`, `2.1`, 1), "not a string"},
		{"nested value", strings.Replace(string(good), `"2.1"`, `{"a":"b"}`, 1), "not a string"},
		{"wrong type", strings.Replace(string(good), PayloadType, "other.v1", 1), "payload type"},
		{"offset time", strings.Replace(string(good), `2026-03-01T08:00:00Z`, `2026-03-01T16:00:00+08:00`, 1), "issued_at"},
		{"fractional time", strings.Replace(string(good), `2027-03-01T08:00:00Z`, `2027-03-01T08:00:00.5Z`, 1), "expires_at"},
		{"trailing data", string(good) + `{}`, "after the object"},
		{"truncated", string(good[:40]), "payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Payload
			err := p.UnmarshalJSON([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("UnmarshalJSON = %v, want an error about %q", err, tt.want)
			}
		})
	}
}
