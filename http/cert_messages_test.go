package http

import (
	"testing"

	"safedesk"
)

// TestCertMessages checks the message keys the certificate pages build at run time: every
// register status, every export column, and the notification sentences, in both languages
// with the same arguments.
func TestCertMessages(t *testing.T) {
	initMessages.Do(mergeMessages)
	keys := []string{"certstatus.", "note.cert_expiring", "note.cert_recertify", "cert.reason_major", "register.sheet", "flash.cert_revoked"}
	for _, st := range safedesk.CertificateStatuses {
		keys = append(keys, "certstatus."+st)
	}
	keys = append(keys, exportColumns...)
	for _, k := range keys {
		if !hasMessage(k) {
			t.Errorf("no message %q", k)
		}
	}
	if got := tr(safedesk.LangEN, "register.sheet"); len([]rune(got)) > 31 {
		t.Errorf("sheet name %q is longer than Excel allows", got)
	}
	if got := tr(safedesk.DefaultLang, "register.sheet"); len([]rune(got)) > 31 {
		t.Errorf("sheet name %q is longer than Excel allows", got)
	}
}

func TestDefuseFormula(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"张三":               "张三",
		"=1+2":             "'=1+2",
		"+86 138":          "'+86 138",
		"-x":               "'-x",
		"@SUM(A1)":         "'@SUM(A1)",
		"\t=cmd":           "'\t=cmd",
		"John = Smith":     "John = Smith",
		"E-commerce 1.0.0": "E-commerce 1.0.0",
	} {
		if got := defuseFormula(in); got != want {
			t.Errorf("defuseFormula(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRecertifyReason(t *testing.T) {
	if got := recertifyReason(safedesk.LangEN, safedesk.MajorVersionReason("3.0.0")); got != "the course has a new major version, 3.0.0" {
		t.Errorf("major reason in English = %q", got)
	}
	if got := recertifyReason(safedesk.DefaultLang, safedesk.MajorVersionReason("3.0.0")); got != "课程发布了新的主版本 3.0.0" {
		t.Errorf("major reason in Chinese = %q", got)
	}
	if got := recertifyReason(safedesk.LangEN, "incident #12"); got != "incident #12" {
		t.Errorf("a person's reason = %q", got)
	}
}
