package http

import (
	"fmt"
	"sync"

	"safedesk"
)

// tr returns the message key in lang, formatted with args. A key missing from the catalog
// shows as itself, and a test checks that every key used by a template exists in both
// languages.
func tr(lang, key string, args ...any) string {
	initMessages.Do(mergeMessages)
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m[0]
	if lang == safedesk.LangEN {
		s = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Features keep their strings in a file of their own (i18n_*.go); they are merged into
// messages once, before the first use.
var (
	initMessages    sync.Once
	featureMessages = []map[string][2]string{examAdminMessages, certAdminMessages, drillMessages, checkMessages}
)

// hasMessage reports whether the catalogue has a key.
func hasMessage(key string) bool {
	initMessages.Do(mergeMessages)
	_, ok := messages[key]
	return ok
}

func mergeMessages() {
	for _, m := range featureMessages {
		for k, v := range m {
			messages[k] = v
		}
	}
}

// messages holds every UI string: key → [zh-CN, en].
var messages = map[string][2]string{
	"app.name":    {"SafeDesk 客服安全学院", "SafeDesk CS Security Academy"},
	"app.tagline": {"识骗局、护数据、守流程", "Spot the scam, guard the data, follow the procedure"},
	"lang.switch": {"English", "中文"},

	"nav.home":          {"我的学习", "My learning"},
	"nav.users":         {"人员", "People"},
	"nav.exams":         {"考试管理", "Exams"},
	"nav.teams":         {"团队", "Teams"},
	"nav.import":        {"批量导入", "Import"},
	"nav.assignments":   {"课程分配", "Assignments"},
	"nav.content":       {"课程包", "Course packs"},
	"nav.audit":         {"审计日志", "Audit log"},
	"nav.account":       {"账号", "Account"},
	"nav.notifications": {"通知", "Notifications"},
	"nav.logout":        {"退出", "Sign out"},
	"nav.menu":          {"菜单", "Menu"},

	"login.title":    {"登录", "Sign in"},
	"login.login":    {"登录邮箱", "Login e-mail"},
	"login.password": {"密码", "Password"},
	"login.submit":   {"登录", "Sign in"},
	"login.hint":     {"管理员和培训师首次登录时需要绑定身份验证器（TOTP）。", "Admins and trainers enrol an authenticator app (TOTP) at their first sign-in."},

	"mfa.title":          {"两步验证", "Two-step verification"},
	"mfa.code":           {"验证器中的 6 位数字", "6-digit code from your authenticator"},
	"mfa.verify":         {"验证", "Verify"},
	"mfa.wrong":          {"验证码不正确或已过期，请重新输入。", "The code is wrong or has expired. Try again."},
	"mfa.setup.title":    {"绑定身份验证器", "Set up your authenticator"},
	"mfa.setup.intro":    {"用身份验证器 App（如 Microsoft Authenticator、Google Authenticator）扫描二维码，或手动输入密钥，然后填写 App 显示的 6 位数字。", "Scan the QR code with an authenticator app (such as Microsoft Authenticator or Google Authenticator), or type the key in by hand, then enter the 6-digit code the app shows."},
	"mfa.setup.required": {"您的角色必须启用两步验证后才能继续。", "Your role must use two-step verification before you can go on."},
	"mfa.setup.secret":   {"手动输入密钥", "Key to type in"},
	"mfa.setup.submit":   {"完成绑定", "Finish setup"},
	"mfa.qr_alt":         {"身份验证器二维码", "Authenticator QR code"},

	"home.title":        {"我的学习", "My learning"},
	"home.assigned":     {"分配给我的课程", "Courses assigned to me"},
	"home.other":        {"其他课程", "Other courses"},
	"home.due":          {"截止日期", "Due"},
	"home.overdue":      {"已逾期", "Overdue"},
	"home.progress":     {"已完成 %d%%（%d/%d 课）", "%d%% done (%d of %d lessons)"},
	"home.continue":     {"继续学习", "Continue"},
	"home.start":        {"开始学习", "Start"},
	"home.review":       {"复习", "Review"},
	"home.none":         {"目前没有课程。", "No courses yet."},
	"home.notes":        {"最新通知", "Latest notifications"},
	"home.not_assigned": {"未分配（自愿学习）", "Not assigned (optional)"},

	"course.chapters":         {"章节", "Chapters"},
	"course.version":          {"版本", "Version"},
	"course.read":             {"已读", "Read"},
	"course.unread":           {"未读", "Not read"},
	"course.minutes":          {"约 %d 分钟", "about %d min"},
	"course.chapter_progress": {"本章完成 %d%%", "%d%% of this chapter done"},

	"lesson.objectives": {"学习目标", "Learning objectives"},
	"lesson.summary":    {"本课小结", "Summary"},
	"lesson.related":    {"相关课程", "Related lessons"},
	"lesson.prev":       {"上一课", "Previous"},
	"lesson.next":       {"下一课", "Next"},
	"lesson.mark_read":  {"我已学完，继续", "I've finished this lesson"},
	"lesson.done":       {"本课已学完", "You've finished this lesson"},
	"lesson.back":       {"返回课程目录", "Back to the course"},

	"exam.questions":          {"题量", "Questions"},
	"exam.time":               {"时长", "Time"},
	"exam.minutes":            {"%d 分钟", "%d minutes"},
	"exam.pass_mark":          {"及格分", "Pass mark"},
	"exam.attempts_left":      {"剩余次数", "Attempts left"},
	"exam.unlimited":          {"不限", "Unlimited"},
	"exam.best":               {"最好成绩", "Best score"},
	"exam.passed":             {"已通过", "Passed"},
	"exam.failed":             {"未通过", "Not passed"},
	"exam.running":            {"进行中", "In progress"},
	"exam.rules":              {"每道题的答案在作答时自动保存；刷新页面、换一台设备或断网后再回来，都能接着作答。时间以服务器为准，到时自动交卷。", "Every answer is saved the moment you give it; reload, switch device or come back after losing the network and carry on. The server keeps the time and submits at the deadline."},
	"exam.start":              {"开始考试", "Start the exam"},
	"exam.resume":             {"继续作答", "Continue the attempt"},
	"exam.no_attempts":        {"考试次数已用完，请联系培训负责人。", "You have used all your attempts; talk to your training manager."},
	"exam.history":            {"我的作答记录", "My attempts"},
	"exam.started":            {"开始时间", "Started"},
	"exam.score":              {"成绩", "Score"},
	"exam.open":               {"查看", "Open"},
	"exam.deadline":           {"交卷时间", "Time left until"},
	"exam.answered":           {"已答 %d / %d", "%d of %d answered"},
	"exam.saved":              {"已保存", "Saved"},
	"exam.saving":             {"保存中…", "Saving…"},
	"exam.offline":            {"网络中断，恢复后会自动重试", "Offline: will retry when the network is back"},
	"exam.multiple":           {"多选：选出所有正确项。", "Select every correct option."},
	"exam.short":              {"填写答案", "Your answer"},
	"exam.ordering":           {"按正确顺序为每个位置选择一项。", "Choose an item for each position, in the right order."},
	"exam.matching":           {"为每一项选择对应的内容。", "Choose the match for each item."},
	"exam.save_all":           {"保存全部答案", "Save all answers"},
	"exam.submit":             {"交卷", "Submit"},
	"exam.confirm":            {"确定交卷吗？交卷后不能再修改。", "Submit now? Answers cannot change after this."},
	"exam.result_pass":        {"恭喜，考试通过！", "Passed — well done!"},
	"exam.result_fail":        {"这次没有通过", "Not passed this time"},
	"exam.pending":            {"有 %d 道简答题等待培训师评阅，成绩可能会变。", "%d short answers are waiting for a trainer's review; the score may change."},
	"exam.auto":               {"时间到，系统已按截止前保存的答案自动交卷。", "Time ran out: the answers saved before the deadline were submitted."},
	"exam.cert":               {"证书编号：", "Certificate:"},
	"exam.key":                {"正确答案：", "Right answer:"},
	"exam.right":              {"回答正确", "Correct"},
	"exam.wrong":              {"回答错误", "Incorrect"},
	"exam.review_pending":     {"等待评阅", "Waiting for review"},
	"exam.take":               {"参加考试", "Take the exam"},
	"home.exams":              {"我的考试", "My exams"},
	"chat.customer":           {"顾客：", "Customer:"},
	"chat.agent":              {"客服：", "Agent:"},
	"err.exam_closed":         {"该考试当前未开放。", "This exam is not open now."},
	"err.attempt_in_progress": {"您有一场正在进行的考试，请继续作答。", "You have an attempt in progress; continue it."},
	"err.no_attempts_left":    {"您已用完全部 %d 次考试机会。", "You have used all %d attempts at this exam."},
	"err.cooldown":            {"下一次考试可在 %s 之后开始。", "You can start the next attempt after %s."},
	"err.attempt_submitted":   {"本次考试已交卷，答案不能再修改。", "This attempt has been submitted; answers can no longer change."},
	"err.attempt_over":        {"本次考试时间已到。", "The time for this attempt is over."},
	"err.attempt_not_yours":   {"这份答卷属于其他人，无权查看或作答。", "This attempt belongs to someone else."},

	"verify.title":   {"证书查验", "Verify a certificate"},
	"verify.code":    {"证书编号", "Certificate code"},
	"verify.check":   {"查验", "Check"},
	"verify.unknown": {"查无此证书。请核对编号（不含 0、O、1、I、L）。", "No certificate has this code. Check it (codes never contain 0, O, 1, I or L)."},
	"verify.valid":   {"有效证书", "Valid certificate"},
	"verify.expired": {"证书已过期", "Certificate expired"},
	"verify.revoked": {"证书已被撤销", "Certificate revoked"},
	"verify.holder":  {"持证人", "Holder"},
	"verify.course":  {"课程", "Course"},
	"verify.issued":  {"颁发日期", "Issued"},
	"verify.expires": {"有效期至", "Valid until"},
	"verify.note":    {"为保护隐私，持证人姓名部分隐藏。证书由数字签名保证不可篡改。", "The holder's name is partly hidden for privacy. Certificates are digitally signed and cannot be altered."},
	"cert.title":     {"我的证书", "My certificate"},
	"cert.status":    {"状态", "Status"},
	"cert.pdf":       {"下载 PDF", "Download PDF"},
	"cert.public":    {"公开查验页", "Public verification page"},
	"cert.file_hint": {"需要离线查验（例如提交给平台或审计）时，可下载带签名的证书文件：", "For offline verification (for a platform or an auditor), download the signed certificate file:"},
	"cert.file":      {"证书文件（JSON）", "certificate file (JSON)"},

	"users.title":      {"人员管理", "People"},
	"users.search":     {"搜索姓名、邮箱或工号", "Search name, e-mail or employee number"},
	"users.filter":     {"筛选", "Filter"},
	"users.all_teams":  {"全部团队", "All teams"},
	"users.all_roles":  {"全部角色", "All roles"},
	"users.count":      {"共 %d 人", "%d people"},
	"users.new":        {"新建人员", "Add a person"},
	"users.more":       {"下一页", "Next page"},
	"user.name":        {"姓名", "Name"},
	"user.email":       {"登录邮箱", "Login e-mail"},
	"user.team":        {"团队", "Team"},
	"user.no_team":     {"（无团队）", "(no team)"},
	"user.role":        {"角色", "Role"},
	"user.employee_no": {"工号", "Employee no."},
	"user.active":      {"在职（可登录）", "Active (may sign in)"},
	"user.inactive":    {"已停用", "Deactivated"},
	"user.mfa":         {"两步验证", "Two-step"},
	"user.password":    {"初始密码（至少 10 位）", "Initial password (at least 10 characters)"},
	"user.create":      {"创建", "Create"},
	"user.save":        {"保存", "Save"},
	"user.edit":        {"编辑人员", "Edit person"},

	"role.admin":   {"管理员", "Admin"},
	"role.trainer": {"培训师", "Trainer"},
	"role.auditor": {"审计员", "Auditor"},
	"role.trainee": {"学员", "Trainee"},

	"teams.title":   {"团队", "Teams"},
	"teams.members": {"在职人数", "Active members"},
	"teams.new":     {"新建团队", "New team"},
	"teams.create":  {"创建团队", "Create team"},

	"import.title":   {"批量导入人员", "Import people"},
	"import.intro":   {"上传 CSV 文件：表头为 姓名,邮箱,团队,角色,工号（或 name,email,team,role,employee_no）。支持 UTF-8 与 Excel 另存的 GBK 编码。团队须先创建。任何一行有错，整份文件都不会导入。", "Upload a CSV file with the header name,email,team,role,employee_no (or 姓名,邮箱,团队,角色,工号). UTF-8 and the GBK that Excel saves on Chinese Windows both work. Teams must exist first. If any row is wrong, nothing in the file is imported."},
	"import.file":    {"CSV 文件", "CSV file"},
	"import.submit":  {"导入", "Import"},
	"import.failed":  {"文件有问题，未导入任何人员。请修改下列各行后重新上传：", "The file has problems and nobody was imported. Fix these rows and upload it again:"},
	"import.line":    {"行", "Line"},
	"import.field":   {"字段", "Field"},
	"import.problem": {"问题", "Problem"},
	"import.done":    {"导入完成：新建 %d 人，更新 %d 人。", "Imported: %d created, %d updated."},
	"import.example": {"示例", "Example"},

	"assign.title":    {"课程分配", "Assignments"},
	"assign.course":   {"课程", "Course"},
	"assign.target":   {"分配给", "Assign to"},
	"assign.due":      {"截止日期", "Due date"},
	"assign.submit":   {"分配", "Assign"},
	"assign.teams":    {"团队", "Teams"},
	"assign.people":   {"个人", "People"},
	"assign.current":  {"已有分配", "Current assignments"},
	"assign.none":     {"尚未分配。", "Not assigned yet."},
	"assign.reminder": {"截止前 3 天，系统会自动提醒尚未学完的学员。", "Three days before the due date, learners who have not finished are reminded automatically."},

	"content.title":     {"课程包", "Course packs"},
	"content.intro":     {"上传课程包的 zip 压缩包（pack.yaml 位于根目录或唯一的顶层文件夹中）。安装前会完整校验；有任何问题则拒绝安装，当前版本保持不变。学员的学习进度按课时 id 延续到新版本。可先用 safedesk content validate DIR 在本地检查。", "Upload a zipped course pack (pack.yaml at the root or inside one top-level folder). It is checked in full before it is installed; on any problem it is refused and the live version stays. Learners' progress carries over to the new version for lessons that keep their ids. Check a pack locally first with safedesk content validate DIR."},
	"content.file":      {"课程包 zip", "Course pack zip"},
	"content.submit":    {"校验并安装", "Check and install"},
	"content.versions":  {"版本历史", "Versions"},
	"content.live":      {"当前版本", "Live"},
	"content.installed": {"已安装 %s 版本 %s。", "Installed %s version %s."},
	"content.refused":   {"课程包未安装：", "The pack was not installed:"},
	"content.checksum":  {"校验和", "Checksum"},
	"content.by":        {"安装人", "Installed by"},
	"content.at":        {"安装时间", "Installed at"},

	"audit.title":  {"审计日志", "Audit log"},
	"audit.intact": {"哈希链完整：已校验 %d 条记录。", "Hash chain intact: %d entries checked."},
	"audit.broken": {"哈希链断裂：第 %d 条记录 — %s", "Hash chain broken at entry %d — %s"},
	"audit.at":     {"时间", "Time"},
	"audit.actor":  {"操作人", "Actor"},
	"audit.action": {"操作", "Action"},
	"audit.target": {"对象", "Target"},
	"audit.detail": {"详情", "Detail"},
	"audit.ip":     {"IP", "IP"},

	"account.title":          {"我的账号", "My account"},
	"account.language":       {"界面语言", "Language"},
	"account.password":       {"修改密码", "Change password"},
	"account.current":        {"当前密码", "Current password"},
	"account.new":            {"新密码（至少 10 位）", "New password (at least 10 characters)"},
	"account.confirm":        {"再次输入新密码", "New password again"},
	"account.change":         {"修改", "Change"},
	"account.wrong_password": {"当前密码不正确。", "The current password is wrong."},
	"account.mismatch":       {"两次输入的新密码不一致。", "The two new passwords differ."},
	"account.tokens":         {"API 令牌", "API tokens"},
	"account.tokens_intro":   {"令牌用于系统集成（例如客服系统调用实时风险检测）。令牌只显示一次，请妥善保存；服务器只保存其哈希。", "Tokens let other systems call the API (for example a chat system calling the live risk check). A token is shown once: keep it safe. The server keeps only its hash."},
	"account.token_name":     {"给令牌起个名字（最多 60 字）。", "Give the token a name (at most 60 characters)."},
	"account.token_days":     {"有效期为 1 到 365 天。", "Validity is 1 to 365 days."},
	"account.token_scope":    {"权限范围", "Scope"},
	"account.token_valid":    {"有效天数", "Valid for (days)"},
	"account.token_create":   {"创建令牌", "Create token"},
	"account.token_new":      {"新令牌（只显示这一次）：", "New token (shown only this once):"},
	"account.token_expires":  {"到期", "Expires"},
	"account.token_delete":   {"吊销", "Revoke"},
	"account.mfa_on":         {"两步验证：已启用", "Two-step verification: on"},
	"account.mfa_off":        {"两步验证：未启用", "Two-step verification: off"},
	"account.mfa_setup":      {"启用两步验证", "Turn on two-step verification"},
	"scope.api":              {"全部 API（按我的角色）", "Whole API (as my role allows)"},
	"scope.check":            {"仅实时风险检测", "Live risk check only"},
	"scope.metrics":          {"仅监控指标", "Metrics only"},

	"notes.title":     {"通知", "Notifications"},
	"notes.none":      {"没有通知。", "No notifications."},
	"notes.mark_read": {"全部标为已读", "Mark all as read"},
	"note.due_soon":   {"课程《%s》将于 %s 截止，请尽快完成学习。", "The course \"%s\" is due on %s. Please finish it soon."},

	"flash.signed_out":       {"您已安全退出。", "You have signed out."},
	"flash.saved":            {"已保存。", "Saved."},
	"flash.user_created":     {"人员已创建。", "Person created."},
	"flash.team_created":     {"团队已创建。", "Team created."},
	"flash.assigned":         {"课程已分配。", "Course assigned."},
	"flash.password_changed": {"密码已修改，其他设备已退出登录。", "Password changed; other devices were signed out."},
	"flash.token_deleted":    {"令牌已吊销。", "Token revoked."},
	"flash.mfa_enrolled":     {"两步验证已启用。", "Two-step verification is on."},
	"flash.course_done":      {"恭喜，本课程全部课时已学完！", "Well done — you have read every lesson of this course!"},

	"err.name_required":    {"请填写姓名。", "Name is required."},
	"err.name_long":        {"姓名不能超过 %d 个字。", "Name is longer than %d characters."},
	"err.email_required":   {"请填写登录邮箱。", "Login e-mail is required."},
	"err.email_invalid":    {"%q 不是有效的邮箱地址。", "%q is not a valid e-mail address."},
	"err.employee_no_long": {"工号不能超过 %d 个字符。", "Employee number is longer than %d characters."},
	"err.role_invalid":     {"%q 不是有效角色（管理员、培训师、审计员、学员）。", "%q is not a role (admin, trainer, auditor, trainee)."},
	"err.password_short":   {"密码至少需要 %d 个字符。", "The password must have at least %d characters."},
	"err.email_taken":      {"邮箱 %s 已被其他人员使用。", "A user with the e-mail %s already exists."},
	"err.team_name":        {"团队名称不能为空，且不超过 %d 个字。", "A team needs a name of at most %d characters."},
	"err.team_taken":       {"已有名为 %s 的团队。", "A team named %s already exists."},
	"err.wrong_login":      {"登录邮箱或密码不正确。", "Wrong login or password."},
	"err.sign_in_first":    {"请先登录。", "Sign in first."},
	"err.role_forbidden":   {"您的角色无权执行此操作。", "Your role does not allow this."},
	"err.form_expired":     {"表单已过期，请刷新页面后重试。", "The form has expired. Reload the page and try again."},
	"err.rate_limited":     {"尝试次数过多，请 %d 秒后再试。", "Too many attempts. Try again in %d seconds."},
	"err.page_not_found":   {"找不到该页面。", "Page not found."},
	"err.mfa_first":        {"请先完成两步验证。", "Complete two-step sign-in first."},
	"err.due_past":         {"截止日期必须晚于今天。", "The due date must be in the future."},
	"err.due_format":       {"截止日期格式应为 YYYY-MM-DD。", "Give the due date as YYYY-MM-DD."},
	"err.cross_origin":     {"已拒绝跨站请求。", "Cross-origin request refused."},

	// The people and team forms.
	"err.team_unknown":      {"没有这个团队，请从列表中选择。", "There is no such team; choose one from the list."},
	"err.employee_no_taken": {"工号 %s 已被其他人员使用。", "Another person already has the employee number %s."},
	"err.own_admin_role":    {"您不能取消自己的管理员角色，请让其他管理员操作。", "You cannot remove your own admin role; ask another admin."},
	"err.grant_role":        {"只有管理员可以授予这个角色。", "Only an admin may grant this role."},
	"err.manage_staff":      {"只有管理员可以修改这位人员。", "Only an admin may change this person."},
	"err.deactivate_self":   {"您不能停用自己的账号。", "You cannot deactivate yourself."},

	"error.title":    {"出错了", "Something went wrong"},
	"error.internal": {"服务器内部错误，已记录。请稍后再试。", "An internal error occurred and was logged. Please try again later."},
	"error.back":     {"返回首页", "Back to the start page"},
	"error.401":      {"请先登录。", "Please sign in first."},
	"error.403":      {"您的角色无权执行此操作。", "Your role does not allow this."},
	"error.404":      {"找不到该页面。", "Page not found."},
}
