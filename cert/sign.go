package cert

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// MaxClockSkew is how far in the future a certificate's issue time may lie before Verify
// refuses it: enough for two machines whose clocks disagree a little, not enough for a
// certificate signed on a machine whose clock is wrong to pass unnoticed.
const MaxClockSkew = 5 * time.Minute

// A Signed certificate is a payload with its Ed25519 signature.
type Signed struct {
	Payload   Payload
	Signature []byte // Ed25519 signature over Payload.Canonical()
	// PayloadHash is the hex SHA-256 of the canonical payload when it was signed. It is not
	// signed and proves nothing; Verify uses it only to tell ErrTampered from
	// ErrBadSignature once the signature has failed.
	PayloadHash string
}

// Sign returns p signed with key. It sets p.KeyID to the key's id and takes the times in
// UTC at second precision, as the canonical form holds them; the returned Payload is the
// one signed. A payload that fails Validate is an EINVALID error.
func Sign(p Payload, key ed25519.PrivateKey) (Signed, error) {
	if len(key) != ed25519.PrivateKeySize {
		return Signed{}, fmt.Errorf("cert: signing key has %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	p = p.normalized()
	p.KeyID = KeyID(key.Public().(ed25519.PublicKey))
	msg, err := p.Canonical()
	if err != nil {
		return Signed{}, err
	}
	return Signed{Payload: p, Signature: ed25519.Sign(key, msg), PayloadHash: payloadHash(msg)}, nil
}

func payloadHash(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}

// Verify checks s against the keys and returns its status at now. revoked comes from the
// caller's register (a verifier offline passes false and says it could not check).
//
// An authentic certificate yields StatusRevoked when revoked, else StatusExpired from its
// ExpiresAt on (the boundary instant is already expired), else StatusValid. Anything else
// yields StatusUnknown and an error wrapping exactly one of ErrTampered (the payload is
// malformed or was edited after signing), ErrUnknownKey (no key with the payload's key id),
// ErrBadSignature (the payload is as signed but the signature fails) or ErrNotYetValid
// (issued more than MaxClockSkew after now).
func Verify(s Signed, keys *Keyring, now time.Time, revoked bool) (Status, error) {
	p := s.Payload
	msg, err := p.Canonical()
	if err != nil {
		return StatusUnknown, fmt.Errorf("cert: %w (%w)", ErrTampered, err)
	}
	pub, ok := keys.PublicKey(p.KeyID)
	if !ok {
		return StatusUnknown, fmt.Errorf("cert: key %s: %w", p.KeyID, ErrUnknownKey)
	}
	if !ed25519.Verify(pub, msg, s.Signature) {
		if s.PayloadHash != "" && s.PayloadHash != payloadHash(msg) {
			return StatusUnknown, fmt.Errorf("cert: certificate %s: %w", p.Code, ErrTampered)
		}
		return StatusUnknown, fmt.Errorf("cert: certificate %s: %w", p.Code, ErrBadSignature)
	}
	if now.Add(MaxClockSkew).Before(p.IssuedAt) {
		return StatusUnknown, fmt.Errorf("cert: certificate %s issued %s: %w", p.Code, p.IssuedAt.UTC().Format(timeLayout), ErrNotYetValid)
	}
	return p.StatusAt(now, revoked), nil
}

// StatusAt returns what an authentic certificate with this payload is at now: revoked
// when revoked, expired from ExpiresAt on, valid before. It checks no signature; the
// register uses it to filter certificates it issued itself.
func (p Payload) StatusAt(now time.Time, revoked bool) Status {
	switch {
	case revoked:
		return StatusRevoked
	case !now.Before(p.ExpiresAt.Truncate(time.Second)):
		return StatusExpired
	}
	return StatusValid
}

// Result is the public answer about a code, in the shape of GET
// /api/v1/certificates/verify/{code}: the holder's name is masked.
type Result struct {
	Valid         bool   `json:"valid"`
	Status        Status `json:"status"`
	Holder        string `json:"holder"`
	Course        string `json:"course"`
	CourseVersion string `json:"course_version,omitempty"`
	IssuedAt      string `json:"issued_at,omitempty"`
	ExpiresAt     string `json:"expires_at,omitempty"`
}

// NewResult returns the public answer for a certificate with payload p and status st. For
// StatusUnknown it tells nothing but the status, whatever p holds.
func NewResult(p Payload, st Status) Result {
	if st == StatusUnknown || st == "" {
		return Result{Status: StatusUnknown}
	}
	return Result{
		Valid:         st == StatusValid,
		Status:        st,
		Holder:        MaskName(p.Holder),
		Course:        p.CourseTitle,
		CourseVersion: p.CourseVersion,
		IssuedAt:      p.IssuedAt.UTC().Format(timeLayout),
		ExpiresAt:     p.ExpiresAt.UTC().Format(timeLayout),
	}
}
