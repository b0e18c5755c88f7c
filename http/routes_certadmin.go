package http

// certAdminRoutes are the certificate register and its exports, one certificate as staff
// see it, and the holder's list of their own certificates.
func (s *Server) certAdminRoutes() []route {
	return []route{
		{Pattern: "GET /admin/certificates", Roles: readers, h: s.handleRegisterPage},
		{Pattern: "GET /admin/certificates/{code}", Roles: readers, h: s.handleRegisterCertPage},
		{Pattern: "POST /admin/certificates/{code}/revoke", Roles: admins, h: s.handleRegisterRevokeForm},
		{Pattern: "GET /api/v1/certificates/register", Roles: readers, API: true, h: s.handleAPIRegister},
		// More specific than …/{code}/{what}, so the mux prefers it: "register" is never a
		// code (codes have no I, O or lowercase once normalised).
		{Pattern: "GET /api/v1/certificates/register/{format}", Roles: readers, API: true, h: s.handleRegisterExport},
		{Pattern: "GET /certificates", Roles: everyone, h: s.handleMyCertificatesPage},
	}
}

// certAdminMessages are their UI strings.
var certAdminMessages = map[string][2]string{
	"nav.certificates":    {"证书登记", "Certificates"},
	"nav.my_certificates": {"我的证书", "My certificates"},

	"register.title":         {"证书登记册", "Certificate register"},
	"register.intro":         {"每位员工每门课程的认证情况，供培训与审计使用（PCI DSS 12.6、等级保护、《个人信息保护法》第五十一条）。", "Who is certified in which course, for training and for audits (PCI DSS 12.6, MLPS, PIPL Art. 51)."},
	"register.all_courses":   {"全部课程", "All courses"},
	"register.all_statuses":  {"全部状态", "All statuses"},
	"register.scope_current": {"显示每人每门课程的最新证书", "Showing the latest certificate per person and course"},
	"register.scope_all":     {"显示全部证书，含已被新证书取代的", "Showing every certificate, superseded ones too"},
	"register.show_all":      {"也显示已被取代的证书", "show superseded ones too"},
	"register.show_current":  {"只显示最新证书", "show the latest only"},
	"register.certificate":   {"证书", "Certificate"},
	"register.count":         {"共 %d 张证书", "%d certificates"},
	"register.none":          {"没有符合条件的证书。", "No certificates match."},
	"register.export_csv":    {"导出 CSV", "Export CSV"},
	"register.export_xlsx":   {"导出 Excel", "Export Excel"},
	"register.export_hint":   {"导出当前筛选的全部证书（不分页）。每次导出都会记入审计日志。", "Exports every certificate the filter selects, not just this page. Every export is recorded in the audit log."},
	"register.masked":        {"审计员视图：邮箱地址已部分隐藏。", "Auditor view: e-mail addresses are partly hidden."},
	"register.more":          {"下一页", "Next page"},
	"register.prev":          {"上一页", "Previous page"},
	"register.recertify_by":  {"须在 %s 前重新认证", "Recertify by %s"},
	"register.recertify_col": {"重新认证期限", "Recertify by"},
	"register.reason":        {"重新认证原因", "Reason to recertify"},
	"register.revoked_col":   {"撤销日期", "Revoked on"},
	"register.revoke_reason": {"撤销原因", "Reason for revoking"},
	"register.revoked_on":    {"撤销于 %s", "Revoked on %s"},
	"register.sheet":         {"证书登记册", "Certificate register"},

	"certstatus.":          {"全部", "All"},
	"certstatus.valid":     {"有效", "Valid"},
	"certstatus.expiring":  {"即将到期", "Expiring"},
	"certstatus.expired":   {"已过期", "Expired"},
	"certstatus.revoked":   {"已撤销", "Revoked"},
	"certstatus.recertify": {"须重新认证", "To recertify"},

	"cert.reason_major": {"课程发布了新的主版本 %s", "the course has a new major version, %s"},

	"certdetail.title":       {"证书详情", "Certificate"},
	"certdetail.key":         {"签名密钥", "Signing key"},
	"certdetail.revoke":      {"撤销证书", "Revoke the certificate"},
	"certdetail.revoke_hint": {"撤销后，公开查验页将显示“已撤销”，且无法恢复。撤销原因会记入审计日志。", "Once revoked, the public verification page shows it as revoked; this cannot be undone. The reason is recorded in the audit log."},
	"certdetail.reason":      {"撤销原因（必填，最多 500 字）", "Reason (required, at most 500 characters)"},
	"certdetail.back":        {"返回证书登记册", "Back to the register"},
	"flash.cert_revoked":     {"证书已撤销。", "Certificate revoked."},
	"err.revoke_reason":      {"请填写撤销原因，最多 500 字。", "Give a reason of at most 500 characters."},

	"mycerts.title":      {"我的证书", "My certificates"},
	"mycerts.none":       {"您还没有证书。通过课程的认证考试即可获得。", "You have no certificates yet. Pass a course's certification exam to earn one."},
	"mycerts.expiring":   {"将于 %s 到期，请在到期前通过复认证考试。", "Expires on %s: pass the recertification exam before then."},
	"mycerts.recertify":  {"须在 %s 前重新认证：%s。", "Recertify by %s: %s."},
	"mycerts.expired":    {"已过期。再次通过认证考试即可获得新证书。", "Expired. Pass the certification exam again for a new certificate."},
	"mycerts.take_exam":  {"参加认证考试", "Take the certification exam"},
	"mycerts.superseded": {"已被新证书取代", "Superseded by a newer one"},
	"mycerts.open":       {"查看证书", "Open"},
	"mycerts.hint":       {"任何人都可以在公开查验页输入证书编号核验真伪。", "Anyone can check a certificate by its code on the public verification page."},

	"note.cert_expiring":  {"您的《%s》证书将于 %s 到期（剩余不超过 %d 天）。课程已重新分配给您，请在到期前通过复认证考试。", "Your certificate for \"%s\" expires on %s (in %d days or less). The course is assigned to you again: pass the recertification exam before then."},
	"note.cert_recertify": {"您的《%s》证书须在 %s 前重新认证：%s。", "Your certificate for \"%s\" must be renewed by %s: %s."},
}
