// Package cert issues and checks SafeDesk certificates: random verification codes, a
// canonical payload signed with Ed25519, the key ring that signs and verifies it (with key
// ids, rotation and a published JWKS-like key set), a signed file for offline verification,
// names masked for public display, and the printable A4 PDF.
//
// It holds no database and serves no HTTP: the store keeps the signed payloads and the
// revocations, the http package serves the verify page and the key set, and cmd/safedesk
// reads the configuration (key paths, SAFEDESK_CERT_FONT) and passes it in.
//
// Everything here is safe for concurrent use once built: a Keyring, a Font and a Renderer
// are never changed after their constructor returns.
package cert

import "safedesk"

// Status is the verdict on a certificate, as the public verify API reports it.
type Status string

// Statuses. Unknown covers a code nobody issued as well as a certificate whose signature
// does not hold: to the public both mean "this is not a certificate of ours".
const (
	StatusValid   Status = "valid"
	StatusExpired Status = "expired"
	StatusRevoked Status = "revoked"
	StatusUnknown Status = "unknown"
)

// Errors of verification. They are *safedesk.Error values, so safedesk.ErrorCode and
// safedesk.ErrorMessage work on them and on any error that wraps them; test with
// errors.Is. Their messages are safe to show.
//
// ErrTampered and ErrBadSignature both mean the certificate is not authentic; telling them
// apart is diagnosis, not security: a payload whose hash no longer matches the one recorded
// at signing was edited after signing, while a payload that is as signed but whose
// signature fails has a damaged signature or one made with another key under this id.
var (
	ErrTampered     = &safedesk.Error{Code: safedesk.EINVALID, Message: "The certificate has been altered since it was signed."}
	ErrBadSignature = &safedesk.Error{Code: safedesk.EINVALID, Message: "The certificate's signature is not valid."}
	ErrUnknownKey   = &safedesk.Error{Code: safedesk.EINVALID, Message: "The certificate was signed with a key this installation does not know."}
	ErrNotYetValid  = &safedesk.Error{Code: safedesk.EINVALID, Message: "The certificate's issue date is in the future."}
	ErrMalformed    = &safedesk.Error{Code: safedesk.EINVALID, Message: "This is not a SafeDesk certificate file."}
)
