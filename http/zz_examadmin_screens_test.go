//go:build screens

package http_test

import (
	"fmt"
	"os"
	"safedesk"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestExamAdminScreens(t *testing.T) {
	e := newEnv(t)
	e.assignDefault()
	u := e.newTrainee("Half Right", e.users["trainee"].TeamID)
	e.sit("default-posttest", u, `{"items":[{"question_id":"q-ch01-cert-001"},{"question_id":"q-ch01-path-003"}]}`,
		map[string]string{"q-ch01-cert-001": `"eighty-ish"`}, &safedesk.Grading{Score: 50, Pending: 1,
			Results: []byte(`[{"question_id":"q-ch01-cert-001","answered":true,"needs_review":true},{"question_id":"q-ch01-path-003","score":1,"correct":true,"answered":true}]`)}, nil)
	e.sit("default-pretest", u, `{"items":[]}`, nil, &safedesk.Grading{Score: 40}, nil)
	e.api(e.token("trainer", "api"), "PUT", "/api/v1/admin/exams/default-certification/accommodations/"+u.ID, map[string]any{"multiplier": 1.5, "note": "ticket 42"})
	seedStats(t, e)
	c, _ := e.session("trainer")
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.Evaluate[chromedp.Void](`document.cookie = "sd_session=`+c.Value+`; path=/"`)); err != nil {
		t.Fatal(err)
	}
	lang := os.Getenv("LANGX")
	if lang == "en" {
		chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.cookie = "sd_lang=en; path=/"`))
	}
	pages := map[string]string{"list": "/admin/exams", "new": "/admin/exams/new", "pack": "/admin/exams/default-certification",
		"stats": "/admin/exams/default-pretest/statistics", "gain": "/admin/gain", "reviews": "/admin/reviews"}
	for name, p := range pages {
		for _, w := range []int64{390, 1200} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900), chromedp.Navigate(e.srv.URL+p)); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond)
			img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(fmt.Sprintf("/tmp/x/%s-%s-%d.png", lang, name, w), img, 0o644)
		}
	}
}
