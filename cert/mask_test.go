package cert

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Chinese, as in the issue.
		{"two characters", "张三", "张*"},
		{"three characters", "张小三", "张*三"},
		{"three characters again", "张三丰", "张*丰"},
		{"compound surname", "欧阳娜娜", "欧**娜"},
		{"compound surname, three", "欧阳锋", "欧*锋"},
		{"four characters", "诸葛孔明", "诸**明"},
		{"single character", "张", "*"},
		{"ethnic-minority name with a middle dot", "阿沛·阿旺晋美", "阿*****美"},
		{"space inside a Chinese name", "欧阳 娜娜", "欧**娜"},
		{"ideographic space", "张　三", "张*"},
		{"surrounding space", "  张三  ", "张*"},
		{"rare character beyond the BMP", "𠮷田", "𠮷*"},
		{"Japanese", "やまだたろう", "や****う"},
		{"Korean", "김민수", "김*수"},
		// Latin, as in the issue.
		{"given and family name", "John Smith", "J*** Smith"},
		{"three words", "Mary Ann Lee", "M*** A** Lee"},
		{"extra spaces", "  John    Smith \t", "J*** Smith"},
		{"single word", "Madonna", "M******"},
		{"single letter", "J", "*"},
		{"initial kept as it is", "J Smith", "J Smith"},
		{"initial with a dot", "J. Smith", "J* Smith"},
		{"hyphenated given name", "Jean-Luc Picard", "J******* Picard"},
		{"accented, precomposed", "José García", "J*** García"},
		{"accented, combining", "Jose\u0301 Garci\u0301a", "J*** Garci\u0301a"},
		{"all capitals", "JOHN SMITH", "J*** SMITH"},
		{"Cyrillic", "Иван Петров", "И*** Петров"},
		// Mixed and odd.
		{"Chinese and Latin words", "张 John", "张 John"},
		{"Latin then Chinese", "John 张三", "J*** 张三"},
		{"Chinese glued to Latin", "张John", "张****"},
		{"emoji alone", "😀", "*"},
		{"emoji word and surname", "😀 Smith", "😀 Smith"},
		{"emoji name", "😀😎", "😀*"},
		{"ZWJ family is one character", "👨‍👩‍👧x", "👨‍👩‍👧*"},
		{"flag is one character", "🇨🇳🇬🇧", "🇨🇳*"},
		{"skin tone stays with its emoji", "👍🏽ab", "👍🏽**"},
		{"empty", "", ""},
		{"only spaces", "   ", ""},
		{"control characters dropped", "Jo\x00hn\x07 Smith", "J*** Smith"},
		{"bidi override dropped", "\u202EJohn Smith", "J*** Smith"},
		{"invalid UTF-8", "Jo\xffn Smith", "J*** Smith"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskName(tt.in); got != tt.want {
				t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzMaskName(f *testing.F) {
	for _, s := range []string{"张三", "John Smith", "👨‍👩‍👧", "\u200D", "a\u0301\u0301", "🇨", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := MaskName(s)
		if !utf8.ValidString(got) {
			t.Fatalf("MaskName(%q) = %q, not valid UTF-8", s, got)
		}
		clean := cleanName(s)
		words := strings.Fields(clean)
		if (len(words) > 0) != (got != "") {
			t.Fatalf("MaskName(%q) = %q", s, got)
		}
		// Every hidden character becomes one star; nothing is added.
		if utf8.RuneCountInString(got) > utf8.RuneCountInString(clean) {
			t.Fatalf("MaskName(%q) = %q is longer than the name", s, got)
		}
		if len(words) == 1 && len(graphemes(words[0])) > 1 && !strings.Contains(got, "*") {
			t.Fatalf("MaskName(%q) = %q hides nothing", s, got)
		}
		if got != MaskName(s) {
			t.Fatalf("MaskName(%q) is not deterministic", s)
		}
	})
}
