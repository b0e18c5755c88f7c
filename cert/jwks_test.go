package cert

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestKeySetRoundTrip(t *testing.T) {
	ring := mustRing(t, testKey(1), pub(testKey(2)), pub(testKey(3)))
	doc, err := ring.MarshalKeySet()
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(doc, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Keys) != 3 {
		t.Fatalf("published %d keys, want 3:\n%s", len(raw.Keys), doc)
	}
	for _, k := range raw.Keys {
		if k["kty"] != "OKP" || k["crv"] != "Ed25519" || k["alg"] != "EdDSA" || k["use"] != "sig" || k["d"] != "" {
			t.Errorf("published key %v", k)
		}
		x, err := base64.RawURLEncoding.DecodeString(k["x"])
		if err != nil || KeyID(x) != k["kid"] {
			t.Errorf("key %s: x %q does not match its kid", k["kid"], k["x"])
		}
	}
	if bytes.Contains(doc, []byte(base64.RawURLEncoding.EncodeToString(testKey(1).Seed()))) {
		t.Fatal("the key set leaks the private key")
	}
	back, err := ParseKeySet(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.KeyIDs(), ring.KeyIDs()) || back.CurrentKeyID() != "" {
		t.Errorf("parsed ring %v (current %q), want %v verify-only", back.KeyIDs(), back.CurrentKeyID(), ring.KeyIDs())
	}
	s, _ := ring.Sign(testPayload())
	if st, err := Verify(s, back, s.Payload.IssuedAt, false); err != nil || st != StatusValid {
		t.Errorf("verifying with the published set: %s, %v", st, err)
	}
}

func TestParseKeySet(t *testing.T) {
	x := base64.RawURLEncoding.EncodeToString(pub(testKey(1)))
	kid := KeyID(pub(testKey(1)))
	pemPub, _ := MarshalPublicKey(pub(testKey(1)))
	pemPriv, _ := MarshalPrivateKey(testKey(1))
	tests := []struct {
		name, doc string
		want      string // error text; "" for success
	}{
		{"one key", `{"keys":[{"kid":"` + kid + `","kty":"OKP","crv":"Ed25519","x":"` + x + `"}]}`, ""},
		{"other key types skipped", `{"keys":[{"kid":"r","kty":"RSA","n":"AQAB","e":"AQAB"},{"kid":"` + kid + `","kty":"OKP","crv":"Ed25519","x":"` + x + `"}]}`, ""},
		{"PEM public key", string(pemPub), ""},
		{"PEM private key", string(pemPriv), "private key"},
		{"private d published", `{"keys":[{"kid":"` + kid + `","kty":"OKP","crv":"Ed25519","x":"` + x + `","d":"AAAA"}]}`, "private key"},
		{"kid mismatch", `{"keys":[{"kid":"0000000000000000","kty":"OKP","crv":"Ed25519","x":"` + x + `"}]}`, "its key's id"},
		{"short x", `{"keys":[{"kid":"` + kid + `","kty":"OKP","crv":"Ed25519","x":"AAAA"}]}`, "not a base64url Ed25519"},
		{"padded x", `{"keys":[{"kid":"` + kid + `","kty":"OKP","crv":"Ed25519","x":"` + x + `="}]}`, "not a base64url Ed25519"},
		{"only X25519", `{"keys":[{"kid":"a","kty":"OKP","crv":"X25519","x":"` + x + `"}]}`, "no Ed25519 key"},
		{"empty set", `{"keys":[]}`, "no Ed25519 key"},
		{"not JSON", `{"keys":`, "neither"},
		{"nonsense", `hello`, "no PEM"},
		{"huge", `{"keys":[` + strings.Repeat(" ", maxKeySet) + `]}`, "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ring, err := ParseKeySet([]byte(tt.doc))
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := ring.PublicKey(kid); !ok {
					t.Errorf("key %s missing", kid)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseKeySet = %v, want an error about %q", err, tt.want)
			}
		})
	}
}

func FuzzParseKeySet(f *testing.F) {
	doc, _ := mustRing(f, testKey(1), pub(testKey(2))).MarshalKeySet()
	pemPub, _ := MarshalPublicKey(pub(testKey(1)))
	f.Add(doc)
	f.Add(pemPub)
	f.Add([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"","kid":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ring, err := ParseKeySet(data)
		if err != nil {
			return
		}
		if ring.CurrentKeyID() != "" {
			t.Fatal("a parsed key set can sign")
		}
		for _, id := range ring.KeyIDs() {
			k, _ := ring.PublicKey(id)
			if KeyID(k) != id {
				t.Fatalf("key filed under %s has id %s", id, KeyID(k))
			}
		}
	})
}
