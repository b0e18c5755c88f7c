package http

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"safedesk"
)

// verifyResult is the public answer of ../shared/contracts/api.md "Certificates".
type verifyResult struct {
	Valid     bool       `json:"valid"`
	Status    string     `json:"status"`
	Holder    string     `json:"holder,omitempty"`
	Course    string     `json:"course,omitempty"`
	Version   string     `json:"course_version,omitempty"`
	IssuedAt  *time.Time `json:"issued_at,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Code      string     `json:"code,omitempty"`
}

// verify looks a code up and checks its signature. An unknown code, a malformed one and a
// record whose signature fails all answer "unknown", so nothing can be learned by probing.
func (s *Server) verify(ctx context.Context, raw, lang string) verifyResult {
	unknown := verifyResult{Status: safedesk.CertUnknown}
	if s.Certifier == nil || s.Certificates == nil {
		return unknown
	}
	code, err := s.Certifier.NormalizeCode(raw)
	if err != nil {
		return unknown
	}
	c, err := s.Certificates.FindCertificate(ctx, code)
	if err != nil {
		if safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			s.Logger.Error("certificate lookup", "err", err)
		}
		return unknown
	}
	st, err := s.Certifier.Verify(c, s.Clock.Now())
	if err != nil {
		s.Logger.Error("stored certificate fails verification", "code", code, "err", err)
		return unknown
	}
	issued, expires := c.IssuedAt, c.ExpiresAt
	return verifyResult{Valid: st == safedesk.CertValid, Status: st, Holder: s.Certifier.MaskName(c.Holder), Course: c.CourseTitle.In(lang),
		Version: c.CourseVersion, IssuedAt: &issued, ExpiresAt: &expires, Code: c.Code}
}

// verifyAllowed applies the public verification rate limit per address.
func (s *Server) verifyAllowed(r *http.Request) error {
	if ok, wait := s.limits.verify.allow(clientIP(r)); !ok {
		return rateLimited(wait)
	}
	return nil
}

func (s *Server) handleAPIVerify(w http.ResponseWriter, r *http.Request) error {
	if err := s.verifyAllowed(r); err != nil {
		w.Header().Set("Retry-After", "60")
		return err
	}
	writeJSON(w, http.StatusOK, s.verify(r.Context(), r.PathValue("code"), s.lang(r)))
	return nil
}

func (s *Server) handleVerifyPage(w http.ResponseWriter, r *http.Request) error {
	if err := s.verifyAllowed(r); err != nil {
		w.Header().Set("Retry-After", "60")
		return err
	}
	code := r.PathValue("code")
	if code == "" {
		code = r.URL.Query().Get("code")
	}
	var res *verifyResult
	if code != "" {
		v := s.verify(r.Context(), code, s.lang(r))
		res = &v
	}
	return s.render(w, r, "verify.html", map[string]any{"Code": code, "Result": res})
}

// ownCertificate returns a certificate its holder, a trainer or an admin may see.
func (s *Server) ownCertificate(r *http.Request) (*safedesk.Certificate, error) {
	code, err := s.Certifier.NormalizeCode(r.PathValue("code"))
	if err != nil {
		return nil, safedesk.Errorf(safedesk.ENOTFOUND, "Certificate not found.")
	}
	c, err := s.Certificates.FindCertificate(r.Context(), code)
	if err != nil {
		return nil, err
	}
	u := currentUser(r)
	if c.UserID != u.ID && u.Role != safedesk.RoleAdmin && u.Role != safedesk.RoleTrainer {
		return nil, safedesk.Errorf(safedesk.ENOTFOUND, "Certificate not found.")
	}
	return c, nil
}

// verifyURL is the public page a certificate's QR code opens.
func (s *Server) verifyURL(r *http.Request, code string) string {
	base := strings.TrimRight(s.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil || s.SecureCookies {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/verify/" + code
}

func (s *Server) handleCertificatePDF(w http.ResponseWriter, r *http.Request) error {
	c, err := s.ownCertificate(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.Certifier.RenderPDF(&buf, c, s.verifyURL(r, c.Code)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="certificate-`+c.Code+`.pdf"`)
	w.Write(buf.Bytes())
	return nil
}

// handleCertificateDownload serves …/{code}/pdf and …/{code}/file.
func (s *Server) handleCertificateDownload(w http.ResponseWriter, r *http.Request) error {
	switch r.PathValue("what") {
	case "pdf":
		return s.handleCertificatePDF(w, r)
	case "file":
		return s.handleCertificateFile(w, r)
	}
	return safedesk.Errorf(safedesk.ENOTFOUND, "Not found.")
}

// handleCertificateFile downloads the signed certificate for offline verification.
func (s *Server) handleCertificateFile(w http.ResponseWriter, r *http.Request) error {
	c, err := s.ownCertificate(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="certificate-`+c.Code+`.json"`)
	w.Write([]byte(c.Payload))
	return nil
}

func (s *Server) handleCertificateRevoke(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	req.Reason = strings.TrimSpace(req.Reason)
	if req.Reason == "" || len([]rune(req.Reason)) > 500 {
		return safedesk.FieldError("reason", "Give a reason of at most 500 characters.")
	}
	code, err := s.Certifier.NormalizeCode(r.PathValue("code"))
	if err != nil {
		return safedesk.Errorf(safedesk.ENOTFOUND, "Certificate not found.")
	}
	c, err := s.Certificates.RevokeCertificate(r.Context(), code, req.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": c.Code, "status": safedesk.CertRevoked, "revoked_at": c.RevokedAt})
	return nil
}

func (s *Server) handleKeySet(w http.ResponseWriter, r *http.Request) error {
	if s.Certifier == nil {
		return safedesk.Errorf(safedesk.ENOTFOUND, "Not found.")
	}
	b, err := s.Certifier.KeySet()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(b)
	return nil
}

func (s *Server) handleCertificatePage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.ownCertificate(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "certificate.html", map[string]any{"Cert": c, "Status": c.StatusAt(s.Clock.Now()), "VerifyURL": s.verifyURL(r, c.Code)})
}

func (s *Server) handleAPIMyCertificates(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Certificates.FindUserCertificates(r.Context(), currentUser(r).ID)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	now := s.Clock.Now()
	for _, c := range list {
		out = append(out, map[string]any{"code": c.Code, "course_id": c.CourseID, "course": c.CourseTitle.In(s.lang(r)),
			"issued_at": c.IssuedAt, "expires_at": c.ExpiresAt, "status": c.StatusAt(now)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
