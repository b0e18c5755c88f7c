package cert

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// KeySetPath is where the http package publishes the key set (MarshalKeySet), so anyone
// can verify a certificate file offline against an installation's keys.
const KeySetPath = "/.well-known/safedesk-cert-keys.json"

// maxKeySet bounds a key set read from a file or a URL.
const maxKeySet = 1 << 20

// jwk is one key of the published set: an Ed25519 public key as RFC 8037 writes it.
type jwk struct {
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
	D   string `json:"d,omitempty"` // only ever read, to refuse a set that leaks a private key
}

type jwks struct {
	Keys []jwk `json:"keys"`
}

// MarshalKeySet returns the ring's public keys as a JWK Set (RFC 7517, with RFC 8037 OKP
// keys), sorted by key id:
//
//	{"keys":[{"kid":"…","kty":"OKP","crv":"Ed25519","x":"<base64url>","use":"sig","alg":"EdDSA"}]}
func (k *Keyring) MarshalKeySet() ([]byte, error) {
	set := jwks{Keys: []jwk{}}
	for _, id := range k.KeyIDs() {
		set.Keys = append(set.Keys, jwk{
			Kid: id, Kty: "OKP", Crv: "Ed25519", Use: "sig", Alg: "EdDSA",
			X: base64.RawURLEncoding.EncodeToString(k.keys[id]),
		})
	}
	b, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cert: encoding key set: %w", err)
	}
	return append(b, '\n'), nil
}

// ParseKeySet reads the public keys a verifier trusts into a verify-only ring: a document
// from MarshalKeySet, or PEM public keys (as `openssl pkey -pubout` writes them). In a key
// set, keys of other types are skipped as RFC 7517 asks, but a key whose kid is not its
// KeyID, a malformed Ed25519 key, and any private key are errors; so is a set with no
// usable key.
func ParseKeySet(data []byte) (*Keyring, error) {
	if len(data) > maxKeySet {
		return nil, fmt.Errorf("cert: key set is larger than %d bytes", maxKeySet)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] != '{' {
		privs, pubs, err := parsePEMKeys(trimmed)
		if err != nil {
			return nil, fmt.Errorf("cert: key set: %w", err)
		}
		if len(privs) > 0 {
			return nil, errors.New("cert: key set holds a private key; pass the public keys only (openssl pkey -pubout)")
		}
		return NewKeyring(nil, pubs...)
	}
	var set jwks
	if err := json.Unmarshal(trimmed, &set); err != nil {
		return nil, fmt.Errorf("cert: key set is neither a JWK Set nor PEM: %w", err)
	}
	var pubs []ed25519.PublicKey
	for i, key := range set.Keys {
		if key.D != "" {
			return nil, fmt.Errorf("cert: key set entry %d (%s) holds a private key; it must never be published", i, key.Kid)
		}
		if key.Kty != "OKP" || key.Crv != "Ed25519" {
			continue
		}
		x, err := base64.RawURLEncoding.DecodeString(key.X)
		if err != nil || len(x) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("cert: key set entry %d (%s): x is not a base64url Ed25519 public key", i, key.Kid)
		}
		if id := KeyID(x); key.Kid != id {
			return nil, fmt.Errorf("cert: key set entry %d has kid %q but its key's id is %s", i, key.Kid, id)
		}
		pubs = append(pubs, x)
	}
	if len(pubs) == 0 {
		return nil, errors.New("cert: key set has no Ed25519 key")
	}
	return NewKeyring(nil, pubs...)
}
