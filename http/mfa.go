package http

import (
	"net/http"
	"net/url"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	qrcode "github.com/skip2/go-qrcode"

	"safedesk"
)

// totpOpts accept the code of the previous and next 30-second step as well, for clock skew.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

func (s *Server) handleMFAPage(w http.ResponseWriter, r *http.Request) error {
	id := who(r)
	if !id.user.MFAEnabled {
		return redirect(w, r, "/mfa/setup", "")
	}
	if id.session != nil && id.session.MFAPassed {
		return redirect(w, r, "/", "")
	}
	return s.render(w, r, "mfa.html", map[string]any{"Next": safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) handleMFAVerify(w http.ResponseWriter, r *http.Request) error {
	id := who(r)
	next := safeNext(r.PostFormValue("next"))
	key := "mfa:" + id.user.ID
	if blocked, wait := s.limits.loginFails.blocked(key); blocked {
		w.Header().Set("Retry-After", "60")
		s.renderStatus(w, r, http.StatusTooManyRequests, "mfa.html", map[string]any{"Next": next, "Error": safedesk.ErrorMessage(rateLimited(wait))})
		return nil
	}
	if !s.checkTOTP(id.user, r.PostFormValue("code")) {
		s.limits.loginFails.allow(key)
		s.Audit.Record(r.Context(), safedesk.AuditSignInFailed, id.user.Email, map[string]string{"reason": "otp"})
		s.renderStatus(w, r, http.StatusUnauthorized, "mfa.html", map[string]any{"Next": next, "Error": tr(s.lang(r), "mfa.wrong")})
		return nil
	}
	if err := s.Auth.MarkSessionMFA(r.Context(), id.session.ID); err != nil {
		return err
	}
	return redirect(w, r, next, "")
}

// handleMFASetupPage shows a new secret to enrol; it is stored, not yet enabled, so that the
// QR code image and the confirmation use the same secret.
func (s *Server) handleMFASetupPage(w http.ResponseWriter, r *http.Request) error {
	id := who(r)
	if id.user.MFAEnabled {
		return redirect(w, r, "/", "")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.Issuer, AccountName: id.user.Email})
	if err != nil {
		return err
	}
	if err := s.Users.SetMFA(r.Context(), id.user.ID, key.Secret(), false); err != nil {
		return err
	}
	return s.render(w, r, "mfa_setup.html", map[string]any{"Secret": key.Secret(), "Required": safedesk.MFARequired(id.user.Role)})
}

func (s *Server) handleMFASetup(w http.ResponseWriter, r *http.Request) error {
	id := who(r)
	if id.user.MFAEnabled {
		return redirect(w, r, "/", "")
	}
	if !s.checkTOTP(id.user, r.PostFormValue("code")) {
		s.renderStatus(w, r, http.StatusBadRequest, "mfa_setup.html", map[string]any{"Secret": id.user.MFASecret,
			"Required": safedesk.MFARequired(id.user.Role), "Error": tr(s.lang(r), "mfa.wrong")})
		return nil
	}
	if err := s.Users.SetMFA(r.Context(), id.user.ID, id.user.MFASecret, true); err != nil {
		return err
	}
	if err := s.Auth.MarkSessionMFA(r.Context(), id.session.ID); err != nil {
		return err
	}
	return redirect(w, r, "/", "mfa_enrolled")
}

func (s *Server) handleMFAQR(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if u.MFAEnabled || u.MFASecret == "" {
		return safedesk.Errorf(safedesk.ENOTFOUND, "No enrolment in progress.")
	}
	q := url.Values{"secret": {u.MFASecret}, "issuer": {s.Issuer}}
	uri := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + s.Issuer + ":" + u.Email, RawQuery: q.Encode()}
	png, err := qrcode.Encode(uri.String(), qrcode.Medium, 240)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
	return nil
}

const langCookie = "sd_lang"

func setLangCookie(w http.ResponseWriter, s *Server, lang string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: safedesk.NormalizeLang(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies, HttpOnly: true})
}

// lang picks the language of a response: the API follows Accept-Language; pages follow the
// person's choice (cookie, then profile), then the default.
func (s *Server) lang(r *http.Request) string {
	if isAPIPath(r.URL.Path) {
		if al := r.Header.Get("Accept-Language"); al != "" {
			return safedesk.NormalizeLang(al)
		}
		if u := currentUser(r); u != nil {
			return safedesk.NormalizeLang(u.Lang)
		}
		return safedesk.DefaultLang
	}
	if c, err := r.Cookie(langCookie); err == nil && c.Value != "" {
		return safedesk.NormalizeLang(c.Value)
	}
	if u := currentUser(r); u != nil {
		return safedesk.NormalizeLang(u.Lang)
	}
	return safedesk.DefaultLang
}

func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) error {
	lang := safedesk.NormalizeLang(r.PostFormValue("lang"))
	setLangCookie(w, s, lang)
	// The choice also goes with the person to other devices. Only a valid session may
	// change a profile; this route is public so the sign-in page can switch too.
	if id, _ := s.identify(r); id != nil && id.session != nil && id.session.CSRF == r.PostFormValue("csrf") {
		if _, err := s.Users.UpdateUser(r.Context(), id.user.ID, safedesk.UserUpdate{Lang: &lang}); err != nil {
			return err
		}
	}
	return redirect(w, r, safeNext(r.PostFormValue("back")), "")
}
