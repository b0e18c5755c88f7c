package cert

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// FileFormat names the version of the certificate file.
const FileFormat = "safedesk-certificate/1"

// maxFile bounds a certificate file; a real one is under 2 KB.
const maxFile = 64 << 10

// fileEnvelope is the certificate file. The payload is the canonical object itself, so the
// file reads as what it certifies; kid repeats the payload's key id for tools that look
// only at the envelope.
type fileEnvelope struct {
	Format      string          `json:"format"`
	Payload     json.RawMessage `json:"payload"`
	Alg         string          `json:"alg"`
	Kid         string          `json:"kid"`
	PayloadHash string          `json:"payload_sha256,omitempty"`
	Signature   string          `json:"signature"`
}

// MarshalFile returns the signed certificate as a file a holder can keep and anyone can
// verify offline against the published key set (`safedesk cert verify FILE --keys …`):
//
//	{
//	  "format": "safedesk-certificate/1",
//	  "payload": { "code": "…", "course_id": "…", …, "typ": "safedesk.certificate.v1" },
//	  "alg": "Ed25519",
//	  "kid": "…",
//	  "payload_sha256": "<hex>",
//	  "signature": "<base64url, no padding>"
//	}
//
// The signature covers the payload's canonical form (Payload.Canonical), not the file's
// bytes, so re-indenting the file does not break it.
func (s Signed) MarshalFile() ([]byte, error) {
	payload, err := s.Payload.Canonical()
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(fileEnvelope{
		Format:      FileFormat,
		Payload:     payload,
		Alg:         "Ed25519",
		Kid:         s.Payload.KeyID,
		PayloadHash: s.PayloadHash,
		Signature:   base64.RawURLEncoding.EncodeToString(s.Signature),
	}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cert: encoding certificate file: %w", err)
	}
	return append(b, '\n'), nil
}

// ParseFile reads a certificate file written by MarshalFile. It checks the shape, not the
// signature: that is Verify's job. Anything that is not such a file is an error wrapping
// ErrMalformed; an envelope kid that differs from the payload's is ErrTampered.
func ParseFile(data []byte) (Signed, error) {
	if len(data) > maxFile {
		return Signed{}, fmt.Errorf("cert: file is larger than %d bytes: %w", maxFile, ErrMalformed)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var env fileEnvelope
	if err := dec.Decode(&env); err != nil {
		return Signed{}, fmt.Errorf("cert: %w (%v)", ErrMalformed, err)
	}
	if dec.More() {
		return Signed{}, fmt.Errorf("cert: data after the certificate: %w", ErrMalformed)
	}
	if env.Format != FileFormat {
		return Signed{}, fmt.Errorf("cert: file format %q, want %q: %w", env.Format, FileFormat, ErrMalformed)
	}
	if env.Alg != "Ed25519" {
		return Signed{}, fmt.Errorf("cert: signature algorithm %q, want Ed25519: %w", env.Alg, ErrMalformed)
	}
	var s Signed
	if err := json.Unmarshal(env.Payload, &s.Payload); err != nil {
		return Signed{}, fmt.Errorf("cert: %w (%v)", ErrMalformed, err)
	}
	if env.Kid != s.Payload.KeyID {
		return Signed{}, fmt.Errorf("cert: file names key %q but its payload %q: %w", env.Kid, s.Payload.KeyID, ErrTampered)
	}
	sig, err := base64.RawURLEncoding.DecodeString(env.Signature)
	if err != nil {
		return Signed{}, fmt.Errorf("cert: signature is not base64url: %w", ErrMalformed)
	}
	s.Signature = sig
	s.PayloadHash = env.PayloadHash
	return s, nil
}

// VerifyFile parses a certificate file and verifies it against keys at now, as `safedesk
// cert verify FILE` does. Offline there is no register to ask, so revocation is not
// checked: a caller should say so. Errors are those of ParseFile and Verify.
func VerifyFile(data []byte, keys *Keyring, now time.Time) (Signed, Status, error) {
	s, err := ParseFile(data)
	if err != nil {
		return Signed{}, StatusUnknown, err
	}
	st, err := Verify(s, keys, now, false)
	return s, st, err
}
