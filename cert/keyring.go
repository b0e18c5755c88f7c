package cert

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
)

// KeyID returns the id of a public key: the first 8 bytes of its SHA-256, as 16 lowercase
// hex digits. Being derived from the key, an id cannot be reused for another key by
// mistake, and anyone holding the key can compute it.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// isKeyID reports whether s has the shape KeyID returns.
func isKeyID(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// A Keyring holds the key that signs new certificates, if any, and every public key that
// certificates may have been signed with, by key id. It never changes after it is built,
// so it is safe for concurrent use; rotation builds a new one.
type Keyring struct {
	current string             // id of the signing key; "" for a verify-only ring
	signer  ed25519.PrivateKey // nil for a verify-only ring
	keys    map[string]ed25519.PublicKey
}

// NewKeyring returns a ring that signs with signer (nil for a ring that only verifies)
// and verifies with signer's public key and every key in verify. Repeated keys are kept
// once. A key of the wrong size is an error.
func NewKeyring(signer ed25519.PrivateKey, verify ...ed25519.PublicKey) (*Keyring, error) {
	k := &Keyring{keys: make(map[string]ed25519.PublicKey)}
	if signer != nil {
		if len(signer) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("cert: signing key has %d bytes, want %d", len(signer), ed25519.PrivateKeySize)
		}
		k.signer = slices.Clone(signer)
		pub := k.signer.Public().(ed25519.PublicKey)
		k.current = KeyID(pub)
		k.keys[k.current] = pub
	}
	for _, pub := range verify {
		if len(pub) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("cert: public key has %d bytes, want %d", len(pub), ed25519.PublicKeySize)
		}
		k.keys[KeyID(pub)] = slices.Clone(pub)
	}
	return k, nil
}

// CurrentKeyID returns the id of the key that signs new certificates, or "" when the ring
// only verifies.
func (k *Keyring) CurrentKeyID() string { return k.current }

// PublicKey returns the public key with the id.
func (k *Keyring) PublicKey(kid string) (ed25519.PublicKey, bool) {
	pub, ok := k.keys[kid]
	return pub, ok
}

// KeyIDs returns the ids of every key the ring verifies with, sorted.
func (k *Keyring) KeyIDs() []string {
	ids := make([]string, 0, len(k.keys))
	for id := range k.keys {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Sign signs p with the current key; see Sign. A verify-only ring returns an error.
func (k *Keyring) Sign(p Payload) (Signed, error) {
	if k.signer == nil {
		return Signed{}, errors.New("cert: this key ring has no signing key")
	}
	return Sign(p, k.signer)
}

// PEM block types, as OpenSSL writes them: `openssl genpkey -algorithm ed25519` makes a
// key this package reads.
const (
	pemPrivate = "PRIVATE KEY"
	pemPublic  = "PUBLIC KEY"
)

// MarshalPrivateKey encodes an Ed25519 private key as a PKCS #8 PEM block.
func MarshalPrivateKey(priv ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("cert: encoding private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivate, Bytes: der}), nil
}

// MarshalPublicKey encodes an Ed25519 public key as a PKIX PEM block.
func MarshalPublicKey(pub ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("cert: encoding public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPublic, Bytes: der}), nil
}

// parsePEMKeys reads every PEM block of data: private keys (PKCS #8) and public keys
// (PKIX), all Ed25519. Data with no PEM block at all is an error.
func parsePEMKeys(data []byte) (privs []ed25519.PrivateKey, pubs []ed25519.PublicKey, err error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		switch b.Type {
		case pemPrivate:
			key, err := x509.ParsePKCS8PrivateKey(b.Bytes)
			if err != nil {
				return nil, nil, fmt.Errorf("reading private key: %w", err)
			}
			priv, ok := key.(ed25519.PrivateKey)
			if !ok {
				return nil, nil, fmt.Errorf("private key is a %T, not Ed25519", key)
			}
			privs = append(privs, priv)
		case pemPublic:
			key, err := x509.ParsePKIXPublicKey(b.Bytes)
			if err != nil {
				return nil, nil, fmt.Errorf("reading public key: %w", err)
			}
			pub, ok := key.(ed25519.PublicKey)
			if !ok {
				return nil, nil, fmt.Errorf("public key is a %T, not Ed25519", key)
			}
			pubs = append(pubs, pub)
		default:
			return nil, nil, fmt.Errorf("unexpected PEM block %q (want %q or %q)", b.Type, pemPrivate, pemPublic)
		}
	}
	if len(privs) == 0 && len(pubs) == 0 {
		return nil, nil, errors.New("no PEM-encoded key found")
	}
	return privs, pubs, nil
}
