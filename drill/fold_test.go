package drill

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"full width", "ＣＡＮ’Ｔ　ｓｈａｒｅ", "can not shar"},
		{"case and spaces", "  Order   PAGE ", "order pag"},
		{"hyphen joins words", "order-page", "order pag"},
		{"spaces between han vanish", "订 单 页 面", "订单页面"},
		{"clause punctuation vanishes", "对，就是这个！", "对就是这个"},
		{"polite you", "您的订单", "你的订单"},
		{"traditional", "我不能提供她的電話號碼", "我不能提供她的电话号"},
		{"misspelling", "请登陆下单账号", "请登录下单账号"},
		{"zero width", "加\u200b微\u200d信", "加微信"},
		{"emoji is a space", "sorry🙏but", "sorry but"},
		{"cannot", "I cannot", "i can not"},
		{"cant without apostrophe", "i cant", "i can not"},
		{"won't", "We won't", "we will not"},
		{"n't", "She isn't", "she is not"},
		{"'ll", "I'll escalate", "i will escalat"},
		{"'s is", "that's her", "that is her"},
		{"possessive", "the buyer's address", "the buyer is address"},
		{"'s after a noun", "the password's 1234", "the password is 1234"},
		{"stem ed", "verified", "verify"},
		{"stem ies", "verifies", "verify"},
		{"stem ing", "verifying", "verify"},
		{"stem double", "transferred", "transfer"},
		{"stem final e", "escalate escalated escalating escalates", "escalat escalat escalat escalat"},
		{"stem sibilant", "addresses", "address"},
		{"note is not not", "noted", "note"},
		{"need keeps", "need needed", "need need"},
		{"domain dot", "taobao.com", "taobao com"},
		{"digits kept", "电话是13812345678", "电话是13812345678"},
		{"han then word", "按SOP处理", "按sop处理"},
		{"empty", " ，。 ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fold(tt.in); got != tt.want {
				t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFoldBreaks(t *testing.T) {
	text, breaks := foldBreaks("不行，她的电话是… no, her number")
	if text != "不行她的电话是no her number" {
		t.Fatalf("text %q", text)
	}
	want := []int{len("不行"), len("不行她的电话是"), len("不行她的电话是no")}
	if !slices.Equal(breaks, want) {
		t.Errorf("breaks %v, want %v", breaks, want)
	}
}

// TestFoldIdempotent: phrases and replies are folded once each, but a folded phrase
// must read the same when folded again, or a phrase quoted from a folded reply would
// not match it.
func TestFoldIdempotent(t *testing.T) {
	for _, s := range []string{"I'll escalate it", "我不能提供您的電話", "Sorry, but I can't", "verified addresses", "ＳＯＰ p2"} {
		once := fold(s)
		if twice := fold(once); twice != once {
			t.Errorf("fold(fold(%q)) = %q, fold = %q", s, twice, once)
		}
	}
}

func TestHanVariantsTable(t *testing.T) {
	seen := map[rune]bool{}
	for p := range strings.FieldsSeq(hanVariants) {
		if utf8.RuneCountInString(p) != 2 {
			t.Errorf("pair %q is not two characters", p)
			continue
		}
		rs := []rune(p)
		if rs[0] == rs[1] || seen[rs[0]] {
			t.Errorf("pair %q maps to itself or repeats", p)
		}
		seen[rs[0]] = true
	}
}
