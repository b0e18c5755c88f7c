package http

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"safedesk"
)

// registerEntry finds one certificate of the register by the code in the path.
func (s *Server) registerEntry(r *http.Request) (*safedesk.RegisterEntry, error) {
	code, err := s.Certifier.NormalizeCode(r.PathValue("code"))
	if err != nil {
		return nil, safedesk.Errorf(safedesk.ENOTFOUND, "Certificate not found.")
	}
	list, _, _, err := s.Certificates.FindCertificates(r.Context(), safedesk.CertificateFilter{Codes: []string{code}})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, safedesk.Errorf(safedesk.ENOTFOUND, "Certificate not found.")
	}
	return list[0], nil
}

// handleRegisterCertPage shows one certificate to the register's readers, with the revoke
// form for admins.
func (s *Server) handleRegisterCertPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.registerEntry(r)
	if err != nil {
		return err
	}
	row := s.registerRows(r, []*safedesk.RegisterEntry{e})[0]
	return s.render(w, r, "cert_detail.html", map[string]any{"Row": row, "KeyID": e.KeyID,
		"CanPDF": currentUser(r).Role != safedesk.RoleAuditor})
}

// handleRegisterRevokeForm revokes a certificate from its register page.
func (s *Server) handleRegisterRevokeForm(w http.ResponseWriter, r *http.Request) error {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return safedesk.Localized(safedesk.EINVALID, "reason", "revoke_reason", "Give a reason of at most 500 characters.")
	}
	code, err := s.Certifier.NormalizeCode(r.PathValue("code"))
	if err != nil {
		return safedesk.Errorf(safedesk.ENOTFOUND, "Certificate not found.")
	}
	if _, err := s.Certificates.RevokeCertificate(r.Context(), code, reason); err != nil {
		return err
	}
	return redirect(w, r, "/admin/certificates/"+code, "cert_revoked")
}

// myCert is one of the caller's certificates on their page.
type myCert struct {
	*safedesk.Certificate
	Status          string
	Course          string
	RecertifyReason string
	Pending         bool // the holder must recertify by RecertifyBy
	Superseded      bool // a later certificate of the course, not revoked, replaces it
}

// handleMyCertificatesPage lists the caller's certificates with their status now, and
// what to do about those expiring, expired or to be renewed.
func (s *Server) handleMyCertificatesPage(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Certificates.FindUserCertificates(r.Context(), currentUser(r).ID)
	if err != nil {
		return err
	}
	lang, now := s.lang(r), s.Clock.Now()
	out := make([]myCert, 0, len(list))
	renewed := map[string]bool{} // courses with a later certificate that is not revoked; the list is newest first
	for _, c := range list {
		out = append(out, myCert{Certificate: c, Status: c.RegisterStatusAt(now), Course: c.CourseTitle.In(lang),
			RecertifyReason: recertifyReason(lang, c.RecertifyReason), Pending: c.RecertifyPending(now), Superseded: renewed[c.CourseID]})
		if c.RevokedAt.IsZero() {
			renewed[c.CourseID] = true
		}
	}
	return s.render(w, r, "cert_mine.html", out)
}

// describeCertNote puts a certificate notification into the reader's language, with the
// link that acts on it: the exam that renews the certificate. Kinds it does not know read
// as the kind itself.
func describeCertNote(lang string, n *safedesk.Notification, titles map[string]string) (text, link string) {
	var p safedesk.CertNoteParams
	if n.Kind != safedesk.NotifyCertExpiring && n.Kind != safedesk.NotifyCertRecertify {
		return n.Kind, ""
	}
	json.Unmarshal([]byte(n.Params), &p)
	title := titles[p.CourseID]
	if title == "" {
		title = p.CourseID
	}
	link = "/certificates"
	if p.ExamID != "" {
		link = "/exams/" + p.ExamID
	}
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	if n.Kind == safedesk.NotifyCertExpiring {
		return tr(lang, "note.cert_expiring", title, day(p.ExpiresAt), p.Days), link
	}
	return tr(lang, "note.cert_recertify", title, day(p.By), recertifyReason(lang, p.Reason)), link
}
