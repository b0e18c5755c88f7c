// Package safedesk holds the vocabulary of SafeDesk, a self-hosted system that trains,
// drills and certifies e-commerce customer-service agents in security: the domain types,
// their validation, the service interfaces that adapters implement, and the error codes.
// It imports only the standard library.
package safedesk

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Version is the release of this build; cmd/safedesk may override it at link time.
var Version = "0.1.0-dev"

// Languages the product speaks. zh-CN is the default.
const (
	LangZH = "zh-CN"
	LangEN = "en"
)

// DefaultLang is the language used when a person has not chosen one.
const DefaultLang = LangZH

// Langs lists the supported languages in display order.
var Langs = []string{LangZH, LangEN}

// NormalizeLang maps an Accept-Language value or a stored preference to a supported
// language: anything English becomes "en", everything else the default.
func NormalizeLang(s string) string {
	for i := 0; i < len(s); i++ {
		// Take the first tag of a list such as "en-GB,en;q=0.9".
		if s[i] == ',' || s[i] == ';' {
			s = s[:i]
			break
		}
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') && (s[1] == 'n' || s[1] == 'N') && (len(s) == 2 || s[2] == '-' || s[2] == '_') {
		return LangEN
	}
	return DefaultLang
}

// Text is a string in every supported language, keyed by language tag.
type Text map[string]string

// In returns the text in lang, falling back to the default language and then to any.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t[DefaultLang]; ok && s != "" {
		return s
	}
	for _, s := range t {
		return s
	}
	return ""
}

// NewID returns a random 128-bit identifier as 32 hex characters.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// Clock tells the time; tests inject a fixed one.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }
