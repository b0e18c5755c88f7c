package http

// drillRoutes are the drill pages and API.
func (s *Server) drillRoutes() []route {
	return []route{
		{Pattern: "GET /api/v1/drills", Roles: everyone, API: true, h: s.handleAPIDrills},
		{Pattern: "POST /api/v1/drills/{scenarioID}/runs", Roles: everyone, API: true, h: s.handleAPIDrillStart},
		{Pattern: "POST /api/v1/drill-runs/{runID}/replies", Roles: everyone, API: true, h: s.handleAPIDrillReply},
		{Pattern: "GET /api/v1/drill-runs/{runID}", Roles: everyone, API: true, h: s.handleAPIDrillRun},
		{Pattern: "GET /api/v1/drill-reviews", Roles: staff, API: true, h: s.handleAPIDrillReviews},
		{Pattern: "POST /api/v1/drill-runs/{runID}/verdicts", Roles: staff, API: true, h: s.handleAPIDrillVerdict},

		{Pattern: "GET /drills", Roles: everyone, h: s.handleDrillsPage},
		{Pattern: "POST /drills/{scenarioID}/runs", Roles: everyone, h: s.handleDrillStartForm},
		{Pattern: "GET /drill-runs/{runID}", Roles: everyone, h: s.handleDrillRunPage},
		{Pattern: "POST /drill-runs/{runID}/replies", Roles: everyone, h: s.handleDrillReplyForm},
		{Pattern: "GET /admin/drill-reviews", Roles: staff, h: s.handleDrillReviewsPage},
		{Pattern: "POST /admin/drill-reviews/{runID}", Roles: staff, h: s.handleDrillVerdictForm},
	}
}

// drillMessages are their UI strings.
var drillMessages = map[string][2]string{
	"nav.drills":            {"情景演练", "Drills"},
	"nav.drill_reviews":     {"演练评阅", "Drill reviews"},
	"drills.title":          {"情景演练", "Chat drills"},
	"drills.intro":          {"在模拟聊天里练习应对骗子和情绪激动的顾客。每条回复都会被自动评分；出现严重错误（例如泄露买家信息、引导站外交易）时演练立即结束。演练结束后可以看到逐条点评和参考回复。", "Practise with scammers and angry customers in a simulated chat. Every reply is scored at once; a critical error (such as disclosing buyer data or moving off the platform) ends the drill. When it ends you see feedback on each reply and a model answer."},
	"drills.start":          {"开始演练", "Start"},
	"drills.best":           {"最好成绩 %d", "Best %d"},
	"drills.passed":         {"已通过", "Passed"},
	"drills.none":           {"还没有演练场景。", "No drill scenarios yet."},
	"drill.you":             {"我", "Me"},
	"drill.reply":           {"输入回复，按回车发送", "Type a reply, press Enter to send"},
	"drill.send":            {"发送", "Send"},
	"drill.over":            {"演练结束", "Drill over"},
	"drill.passed":          {"通过", "Passed"},
	"drill.failed":          {"未通过", "Not passed"},
	"drill.score":           {"得分 %d（及格 %d）", "Score %d (pass %d)"},
	"drill.critical":        {"严重错误", "Critical errors"},
	"drill.feedback":        {"逐条点评", "Feedback on each reply"},
	"drill.model":           {"参考回复", "Model answer"},
	"drill.again":           {"再练一次", "Try again"},
	"drill.reply_n":         {"第 %d 条回复", "Reply %d"},
	"drill.findings":        {"风险提示", "Risks found"},
	"drill.uncertain":       {"系统无法确定这条回复，已交给培训师评阅。", "The engine was unsure about this reply; a trainer will review it."},
	"drill.missing":         {"整场演练中缺少", "Missing in the whole drill"},
	"drill.reviews":         {"待评阅的演练回复", "Drill replies waiting for review"},
	"drill.reviews_none":    {"没有待评阅的回复。", "Nothing to review."},
	"drill.verdict_pass":    {"判为合格", "Acceptable"},
	"drill.verdict_fail":    {"判为严重错误", "Critical error"},
	"drill.trainee":         {"学员", "Trainee"},
	"drill.scenario":        {"场景", "Scenario"},
	"err.drill.no_reply":    {"这场演练没有第 %d 条回复。", "This run has no reply %d."},
	"err.drill.bad_verdict": {"评阅结果只能是 %q、%q 或留空。", "A verdict is %q, %q or empty."},
	"err.drill_done":        {"这场演练已经结束。", "This drill is over."},
	"err.drill_empty":       {"请先输入回复。", "Type a reply first."},
}
