package http

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"safedesk"
	"safedesk/risk"
)

// TestMessagesComplete checks that every message key a template names exists, with text in
// both languages, so no page shows a raw key or an empty string.
func TestMessagesComplete(t *testing.T) {
	initMessages.Do(mergeMessages)
	for key, m := range messages {
		if strings.TrimSpace(m[0]) == "" || strings.TrimSpace(m[1]) == "" {
			t.Errorf("message %q lacks a translation", key)
		}
		if strings.Count(m[0], "%") != strings.Count(m[1], "%") {
			t.Errorf("message %q: the languages take different arguments", key)
		}
	}
	literal := regexp.MustCompile(`\bt \$?\.?Lang "([a-z0-9_.]+)"|\bt \$lang "([a-z0-9_.]+)"`)
	files, _ := fs.Glob(templateFS, "html/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			key := m[1] + m[2]
			if _, ok := messages[key]; !ok {
				t.Errorf("%s uses message %q, which does not exist", f, key)
			}
		}
	}
	// Keys built at run time.
	for _, r := range safedesk.Roles {
		if _, ok := messages["role."+r]; !ok {
			t.Errorf("no message for role %s", r)
		}
	}
	for _, s := range []string{safedesk.ScopeAPI, safedesk.ScopeCheck, safedesk.ScopeMetrics} {
		if _, ok := messages["scope."+s]; !ok {
			t.Errorf("no message for scope %s", s)
		}
	}
	// The risk-check page names every finding type of the engine and every emotion.
	for _, ty := range risk.Types {
		if _, ok := messages["risk.type."+string(ty)]; !ok {
			t.Errorf("no message for finding type %s", ty)
		}
		family, _, _ := strings.Cut(string(ty), ".")
		if _, ok := messages["risk.family."+family]; !ok {
			t.Errorf("no message for finding family %s", family)
		}
	}
	for _, em := range []string{risk.EmotionAnger, risk.EmotionAnxiety, risk.EmotionNeutral, risk.EmotionPositive} {
		if _, ok := messages["risk.emotion."+em]; !ok {
			t.Errorf("no message for emotion %s", em)
		}
	}
	for _, f := range []string{"signed_out", "saved", "user_created", "team_created", "assigned", "password_changed", "token_deleted", "mfa_enrolled", "course_done"} {
		if _, ok := messages["flash."+f]; !ok {
			t.Errorf("no message for flash %s", f)
		}
	}
}
