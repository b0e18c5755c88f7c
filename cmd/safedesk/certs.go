package main

import (
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"time"

	"safedesk"
	"safedesk/cert"
	sdhttp "safedesk/http"
)

// certifier signs and renders certificates with the cert package; it is the http package's
// Certifier.
type certifier struct {
	keys     *cert.Keyring
	issuer   string
	renderer *cert.Renderer // nil when no usable font was found
	fontErr  error
}

var _ sdhttp.Certifier = (*certifier)(nil)

// newCertifier loads the signing keys (configured files, or generated once into the data
// directory) and the font for PDFs (configured, or found on the system). A missing font is
// logged and only disables PDFs; a key problem stops start-up.
func newCertifier(cfg *Config, log *slog.Logger) (*certifier, error) {
	var keys *cert.Keyring
	var err error
	if cfg.CertKeyFile != "" {
		keys, err = cert.LoadKeyFiles(cfg.CertKeyFile)
	} else {
		keys, err = cert.OpenKeyDir(filepath.Join(cfg.DataDir, "keys"))
	}
	if err != nil {
		return nil, fmt.Errorf("certificate signing key: %w", err)
	}
	c := &certifier{keys: keys, issuer: cfg.OrgName}
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("SAFEDESK_TIMEZONE: %w", err)
	}
	var font *cert.Font
	if cfg.CertFont != "" {
		font, err = cert.LoadFont(cfg.CertFont)
		if err != nil {
			return nil, fmt.Errorf("SAFEDESK_CERT_FONT: %w", err)
		}
	} else if font, err = cert.FindFont(cert.SystemFontPaths(runtime.GOOS)); err != nil {
		c.fontErr = err
		log.Warn("certificate PDFs are disabled: no font with Chinese and Latin glyphs found; install one (Debian: fonts-wqy-microhei) or set SAFEDESK_CERT_FONT", "err", err)
		return c, nil
	}
	if c.renderer, err = cert.NewRenderer(font, cfg.OrgName, loc); err != nil {
		return nil, fmt.Errorf("certificate font %s: %w", font.Path, err)
	}
	return c, nil
}

// Issue signs the certificate of a passed attempt.
func (c *certifier) Issue(holder *safedesk.User, e *safedesk.Exam, a *safedesk.Attempt, p *safedesk.Pack, now time.Time) (*safedesk.Certificate, error) {
	months := e.ValidityMonths
	if months <= 0 {
		months = 12
	}
	lang := safedesk.NormalizeLang(holder.Lang)
	payload := cert.Payload{Code: cert.NewCode(), Holder: holder.Name, HolderLang: lang, CourseID: p.ID,
		CourseTitle: p.Title.In(lang), CourseVersion: p.Version, IssuedAt: now.Truncate(time.Second),
		ExpiresAt: now.Truncate(time.Second).AddDate(0, months, 0), Issuer: c.issuer, KeyID: c.keys.CurrentKeyID()}
	signed, err := c.keys.Sign(payload)
	if err != nil {
		return nil, err
	}
	file, err := signed.MarshalFile()
	if err != nil {
		return nil, err
	}
	return &safedesk.Certificate{Code: payload.Code, UserID: holder.ID, Holder: holder.Name, CourseID: p.ID,
		CourseTitle: p.Title, CourseVersion: p.Version, ExamID: e.ID, AttemptID: a.ID, IssuedAt: payload.IssuedAt,
		ExpiresAt: payload.ExpiresAt, KeyID: payload.KeyID, Payload: string(file),
		Signature: base64.RawURLEncoding.EncodeToString(signed.Signature)}, nil
}

// Verify checks a stored certificate's signature and returns its status now.
func (c *certifier) Verify(sc *safedesk.Certificate, now time.Time) (string, error) {
	signed, st, err := cert.VerifyFile([]byte(sc.Payload), c.keys, now)
	if err != nil {
		return safedesk.CertUnknown, err
	}
	if signed.Payload.Code != sc.Code {
		return safedesk.CertUnknown, fmt.Errorf("certificate %s: signed payload names %s", sc.Code, signed.Payload.Code)
	}
	if !sc.RevokedAt.IsZero() {
		return safedesk.CertRevoked, nil
	}
	return string(st), nil
}

// RenderPDF writes the printable certificate.
func (c *certifier) RenderPDF(w io.Writer, sc *safedesk.Certificate, verifyURL string) error {
	if c.renderer == nil {
		return &safedesk.Error{Code: safedesk.EINTERNAL, Message: "Certificate PDFs are not available: the server has no font for Chinese. Ask the administrator to install one."}
	}
	signed, err := cert.ParseFile([]byte(sc.Payload))
	if err != nil {
		return err
	}
	return c.renderer.Render(w, signed.Payload, verifyURL)
}

// KeySet is the published public keys.
func (c *certifier) KeySet() ([]byte, error) { return c.keys.MarshalKeySet() }

// NormalizeCode tidies a code a person typed.
func (c *certifier) NormalizeCode(s string) (string, error) { return cert.NormalizeCode(s) }

// MaskName hides most of a name for public display.
func (c *certifier) MaskName(name string) string { return cert.MaskName(name) }
