package drill

// The engine's own words. They are few on purpose: what a scenario means lives in its
// intent phrases; these lists only say how any reply is read. Every entry is written as
// people type it and folded like a reply before use, so "can't" and "不能" need no
// variants here.

// negators deny what follows them (or, right after a phrase, what precedes them).
// Single characters such as 不 and 没 also cover 不能, 不会, 不可以, 不要, 没有, 没法.
var negators = []string{
	"不", "没", "别", "勿", "未", "无法", "无权", "无需", "无从", "拒绝", "禁止", "严禁", "甭",
	"not", "never", "unable", "refuse", "decline", "no way", "nor",
}

// nonNegations are common expressions that contain a negator but deny nothing: a
// negator inside one of them is ignored. "没问题" (no problem) and "don't worry"
// introduce agreement, which is exactly when a negation must not be assumed.
var nonNegations = []string{
	"不好意思", "对不起", "不客气", "不用谢", "不谢", "不错", "不过", "不久", "不少", "不断", "不管",
	"不论", "不然", "要不", "不仅", "不但", "不只", "不光", "差不多", "不得不", "不一会", "了不起",
	"不一样", "不同", "不停", "不如", "忍不住", "免不了", "少不了", "不禁", "毫不犹豫", "不愧",
	"不必担心", "不用担心", "不要担心", "别担心", "别急", "别着急", "不着急", "不用急", "别生气",
	"不要生气", "别客气", "没关系", "没问题", "没事", "没错", "没毛病", "没想到", "未来",
	"no problem", "not a problem", "no worries", "not only", "why not", "do not worry",
	"never mind", "not at all", "no doubt", "can not wait", "not sure", "not yet",
}

// contrasts end the reach of a negation: in "我不能直接改，但可以…" the 不能 does not
// deny what comes after 但.
var contrasts = []string{
	"但", "可是", "不过", "然而", "只是", "but", "however", "though", "although", "instead",
}

// splitGuards are common words whose last character often begins a phrase: a phrase
// that starts inside one of them is two words read as one, as "上报" (escalate) is in
// "马上报警" (call the police at once) or "下单" (place an order) in "看一下单号".
var splitGuards = []string{
	"马上", "晚上", "早上", "线上", "网上", "以上", "加上", "路上", "身上", "手上",
	"一下", "以下",
}

// contractions are expanded so that "won't", "will not" and "wont" read the same.
// Keys are lowercase ASCII words as typed, with or without the apostrophe.
var contractions = map[string]string{
	"can't": "can not", "cant": "can not", "cannot": "can not",
	"won't": "will not", "wont": "will not", "shan't": "shall not",
	"ain't": "is not", "i'm": "i am", "im": "i am",
	"dont": "do not", "doesnt": "does not", "didnt": "did not", "isnt": "is not",
	"arent": "are not", "wasnt": "was not", "werent": "were not", "havent": "have not",
	"hasnt": "has not", "hadnt": "had not", "wouldnt": "would not", "shouldnt": "should not",
	"couldnt": "could not", "mustnt": "must not", "neednt": "need not",
	"youre": "you are", "theyre": "they are", "ive": "i have",
}

// apostropheSuffixes are expanded after an apostrophe ("she'll", "we're"); "n't" is
// handled before them. "'s" is always "is": "that's" and "the password's" mean "is", and
// a possessive ("the buyer's address") reads the same on both sides.
var apostropheSuffixes = map[string]string{
	"ll": "will", "re": "are", "ve": "have", "m": "am", "d": "would", "s": "is",
}

// hanVariants folds characters that people use interchangeably in chat to the form the
// phrases are matched in: the polite 您 is 你, 帐 is 账, and a few traditional
// characters common in customer-service chats are folded to simplified. Pairs of runes.
const hanVariants = "" +
	"您你 妳你 帐账 們们 個个 這这 說说 話话 電电 號号 碼码 驗验 證证 實实 認认 聯联 " +
	"繫系 係系 帳账 戶户 轉转 錢钱 銀银 單单 買买 賣卖 貨货 訂订 頁页 鏈链 連连 點点 " +
	"擊击 開开 關关 發发 給给 讓让 請请 問问 題题 時时 後后 還还 沒没 無无 會会 過过 " +
	"對对 錯错 幫帮 處处 務务 員员 專专 業业 報报 舉举 詐诈 騙骗 險险 確确 護护 資资 " +
	"訊讯 隱隐 權权 許许 絕绝 寫写 讀读 記记 錄录 據据 應应 該该 須须 範范 疇畴 覽览 " +
	"遠远 動动 態态 產产 傳传 輸输 載载 裝装 軟软 體体 檔档 壓压 縮缩 網网 絡络 線线 " +
	"視视 頻频 圖图 廣广 東东 區区 縣县 鎮镇 鄉乡 樓楼 層层 額额 價价 費费 優优 紅红 " +
	"補补 償偿 賠赔 貸贷 幣币 匯汇 簡简 歸归 機机 臺台 盜盗 詢询 購购 郵邮 遞递 運运 " +
	"倉仓 庫库 車车 將将 與与 並并 從从 為为 麼么 嗎吗 聽听 謝谢 氣气 憤愤 擔担 憂忧 " +
	"慮虑 緊紧 張张 講讲 評评 "

// hanWordVariants are multi-character spellings folded to one form ("登陆" is a common
// misspelling of "登录"; 手机号码 and 手机号 mean the same).
var hanWordVariants = [][2]string{
	{"登陆", "登录"},
	{"联络", "联系"},
	{"手机号码", "手机号"},
	{"电话号码", "电话号"},
}

// Messages of the engine itself, in every language the product speaks.
var engineMessages = map[string]map[string]string{
	ruleTrainerFail: {
		"zh-CN": "培训师复核后判定这条回复为严重错误。",
		"en":    "A trainer reviewed this reply and judged it a critical error.",
	},
}
