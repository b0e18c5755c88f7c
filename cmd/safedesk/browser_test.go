package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
)

// chromium returns the browser to drive, or skips the test with how to get one.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SAFEDESK_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found: browser tests skipped (apt-get install chromium, or set SAFEDESK_TEST_CHROMIUM)")
	return ""
}

func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.WindowSize(1200, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// tab drives one browser tab and fails the test on any error.
type tab struct {
	t   *testing.T
	ctx context.Context
}

func (b tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// submit clicks sel and waits until the next page has loaded, so that no later step acts on
// the page being left.
func (b tab) submit(sel string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`window.__leaving = true`), chromedp.Click(sel))
	for i := 0; i < 200; i++ {
		loaded, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.__leaving === undefined && document.readyState === "complete"`))
		if err == nil && loaded {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("no new page after clicking %s", sel)
}

// signIn signs in through the sign-in form of the server at url with the demo password.
func (b tab) signIn(url, login string) {
	b.t.Helper()
	b.do(chromedp.Navigate(url+"/login"),
		chromedp.SendKeys(`input[name=login]`, login),
		chromedp.SendKeys(`input[name=password]`, demoPassword))
	b.submit(`form[action="/login"] button`)
}

func (b tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(sel))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

func (b tab) location() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// shotTop saves what the window shows (the top of a long page) into SAFEDESK_SCREENSHOTS.
func (b tab) shotTop(name string) {
	b.t.Helper()
	dir := os.Getenv("SAFEDESK_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// shot saves a full-page PNG into SAFEDESK_SCREENSHOTS (for the docs) when it is set.
func (b tab) shot(name string) {
	b.t.Helper()
	dir := os.Getenv("SAFEDESK_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowserLearning signs in as an agent in a real browser, reads a lesson in Chinese,
// marks it read, switches to English, and checks that the choice sticks.
func TestBrowserLearning(t *testing.T) {
	b := tab{t, newBrowser(t)}
	url, stop := startServer(t, t.TempDir(), map[string]string{"SAFEDESK_DEMO_PASSWORD": demoPassword, "SAFEDESK_LOG_LEVEL": "error"})
	defer stop()

	b.do(chromedp.Navigate(url+"/"), chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "agent01@demo.example"),
		chromedp.SendKeys(`input[name=password]`, demoPassword))
	b.submit(`form[action="/login"] button`)
	home := b.text(`main`)
	b.shot("home-zh.png")
	b.submit(`article.course a.button`)
	lessonZH := b.text(`article.lesson`)
	b.shot("lesson-zh.png")
	b.submit(`.lesson-nav form button`)
	afterRead := b.location()
	b.submit(`form.lang button`)
	lessonEN := b.text(`article.lesson`)
	b.shot("lesson-en.png")
	b.do(chromedp.Navigate(url+"/courses/default"), chromedp.WaitVisible(`ol.chapters`))
	course := b.text(`main`)
	b.shot("course-en.png")

	if !strings.Contains(home, "我的学习") || !strings.Contains(home, "截止日期") {
		t.Errorf("home page is not the Chinese learner page:\n%.300s", home)
	}
	if !strings.Contains(lessonZH, "学习目标") || !strings.Contains(lessonZH, "本课小结") {
		t.Errorf("lesson in Chinese lacks objectives or summary:\n%.300s", lessonZH)
	}
	if !strings.Contains(afterRead, "/lessons/") {
		t.Errorf("marking a lesson read went to %s, not the next lesson", afterRead)
	}
	if !strings.Contains(lessonEN, "Learning objectives") {
		t.Errorf("the language switch did not give English:\n%.300s", lessonEN)
	}
	// The first lesson is now read, and the choice of English sticks on other pages.
	if !strings.Contains(course, "Read") || !strings.Contains(course, "Version") {
		t.Errorf("course page after reading:\n%.400s", course)
	}
}

// TestBrowserAdminMustEnrolMFA checks that an admin's first sign-in leads to MFA enrolment
// and nowhere else.
func TestBrowserAdminMustEnrolMFA(t *testing.T) {
	b := tab{t, newBrowser(t)}
	url, stop := startServer(t, t.TempDir(), map[string]string{"SAFEDESK_DEMO_PASSWORD": demoPassword, "SAFEDESK_LOG_LEVEL": "error"})
	defer stop()
	b.signIn(url, "admin@demo.example")
	qrWidth, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelector("img.qr").naturalWidth`))
	if err != nil {
		t.Fatal(err)
	}
	b.shot("mfa-setup-zh.png")
	b.do(chromedp.Navigate(url+"/admin/users"), chromedp.WaitVisible(`img.qr`))
	loc, page := b.location(), b.text(`main`)
	if !strings.HasSuffix(loc, "/mfa/setup") || !strings.Contains(page, "绑定身份验证器") || qrWidth == 0 {
		t.Fatalf("admin without MFA reached %s (QR width %d):\n%.200s", loc, qrWidth, page)
	}
}

// TestBrowserExam sits the certification exam in a real browser: an answer clicked is
// saved without pressing anything, survives a reload, and submitting shows the result.
func TestBrowserExam(t *testing.T) {
	b := tab{t, newBrowser(t)}
	url, stop := startServer(t, t.TempDir(), map[string]string{"SAFEDESK_DEMO_PASSWORD": demoPassword, "SAFEDESK_LOG_LEVEL": "error"})
	defer stop()
	b.signIn(url, "agent07@demo.example")
	b.submit(`ul.exams a`)
	b.shot("exam-zh.png")
	b.submit(`form[action$="/attempts"] button`)
	// Click the first option of the first choice question and wait for the autosave.
	first := `fieldset.question[data-type=single] input[type=radio]`
	b.do(chromedp.WaitVisible(first), chromedp.Click(first))
	for i := 0; ; i++ {
		saved, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector("fieldset.question[data-type=single]").classList.contains("saved")`))
		if saved {
			break
		}
		if i > 100 {
			t.Fatal("the answer was not saved within 5 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.shotTop("attempt-zh.png")
	b.do(chromedp.Reload())
	checked, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!!document.querySelector("fieldset.question[data-type=single] input[type=radio]:checked")`))
	if err != nil || !checked {
		t.Fatalf("the saved answer was lost on reload (%v)", err)
	}
	b.do(chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`))
	b.submit(`.paper-actions button.submit`)
	result := b.text(`section.result`)
	b.shotTop("result-zh.png")
	if !strings.Contains(result, "没有通过") {
		t.Fatalf("result after submitting one answer:\n%s", result)
	}
}

// TestBrowserDrill plays a drill in a real browser: replies are sent with Enter, and the
// debrief shows the verdict and the model answer.
func TestBrowserDrill(t *testing.T) {
	b := tab{t, newBrowser(t)}
	url, stop := startServer(t, t.TempDir(), map[string]string{"SAFEDESK_DEMO_PASSWORD": demoPassword, "SAFEDESK_LOG_LEVEL": "error"})
	defer stop()
	b.signIn(url, "agent09@demo.example")
	b.do(chromedp.Navigate(url + "/drills"))
	b.submit(`form[action="/drills/pretext-buyer-data/runs"] button`)
	b.shotTop("drill-start-zh.png")
	for i := 0; i < 8; i++ {
		if done, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!document.querySelector("form.composer")`)); done {
			break
		}
		b.do(chromedp.SendKeys(`form.composer textarea`, "理解您的着急。为保护买家隐私，我不能透露任何买家的电话、地址或订单信息。请买家本人用下单账号在平台内联系我们，我已记录此次咨询并上报主管。"),
			chromedp.Evaluate[chromedp.Void](`window.__leaving = true`),
			chromedp.SendKeys(`form.composer textarea`, "\r"))
		for j := 0; j < 100; j++ {
			if gone, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.__leaving === undefined && document.readyState === "complete"`)); gone {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	debrief := b.text(`section.result`)
	b.shot("drill-debrief-zh.png")
	if !strings.Contains(debrief, "通过") || !strings.Contains(debrief, "参考回复") {
		t.Fatalf("debrief after a good run:\n%.400s", debrief)
	}
}

// TestBrowserRiskCheck pastes a scam message into the risk-check page as an agent: the
// findings come back named in Chinese, with the phone number masked.
func TestBrowserRiskCheck(t *testing.T) {
	b := tab{t, newBrowser(t)}
	url, stop := startServer(t, t.TempDir(), map[string]string{"SAFEDESK_DEMO_PASSWORD": demoPassword, "SAFEDESK_LOG_LEVEL": "error"})
	defer stop()
	b.signIn(url, "agent11@demo.example")
	b.do(chromedp.Navigate(url+"/check"),
		chromedp.SendKeys(`textarea[name=text]`, "亲，您的订单需要理赔，加我微信 lp-8899 私下处理，手机 13912345678，点 http://taobao-refund.top/claim 领取三倍赔偿"))
	b.submit(`form.check-form button`)
	got := b.text(`section.check-result`)
	b.shot("risk-check-zh.png")
	for _, want := range []string{"引导站外沟通或交易", "退款理赔诱导", "仿冒域名", "139****5678"} {
		if !strings.Contains(got, want) {
			t.Fatalf("no %q in the result:\n%.600s", want, got)
		}
	}
	if strings.Contains(got, "13912345678") {
		t.Fatalf("the phone number is shown unmasked:\n%.600s", got)
	}
	// Wording the cue rules have no combination for, read by the fraud model: the page
	// shows the type, the model's reason and its rule id.
	b.do(chromedp.Navigate(url+"/check"),
		chromedp.SendKeys(`textarea[name=text]`, "Earn $50 a day liking Shein products, small top-up required to start"))
	b.submit(`form.check-form button`)
	got = b.text(`section.check-result`)
	for _, want := range []string{"刷单返利", "统计模型", "fraud.brushing.model"} {
		if !strings.Contains(got, want) {
			t.Fatalf("no %q in the result of the model's finding:\n%.600s", want, got)
		}
	}
}

// TestBrowserDrillFailEnglish fails a drill on purpose in English: moving the payment off
// the platform ends the run at once, and the debrief says why.
func TestBrowserDrillFailEnglish(t *testing.T) {
	b := tab{t, newBrowser(t)}
	url, stop := startServer(t, t.TempDir(), map[string]string{"SAFEDESK_DEMO_PASSWORD": demoPassword, "SAFEDESK_LOG_LEVEL": "error"})
	defer stop()
	b.signIn(url, "agent11@demo.example")
	b.submit(`form.lang button`)
	b.do(chromedp.Navigate(url + "/drills"))
	b.submit(`form[action="/drills/off-platform-payment/runs"] button`)
	b.do(chromedp.SendKeys(`form.composer textarea`, "Sure, add me on WeChat wx88123 and send the money to my Alipay, it's cheaper."))
	b.submit(`form.composer button`)
	debrief := b.text(`section.result`)
	b.shot("drill-debrief-en.png")
	if !strings.Contains(debrief, "Not passed") || !strings.Contains(debrief, "Critical errors") || !strings.Contains(debrief, "Model answer") {
		t.Fatalf("debrief after moving the payment off the platform:\n%.500s", debrief)
	}
}

// TestBrowserTrainerRoleChoices signs a trainer in, enrols TOTP as a new trainer would (the
// code from the secret the page shows), and checks that the new-person form offers the
// trainee role only.
func TestBrowserTrainerRoleChoices(t *testing.T) {
	b := tab{t, newBrowser(t)}
	url, stop := startServer(t, t.TempDir(), map[string]string{"SAFEDESK_DEMO_PASSWORD": demoPassword, "SAFEDESK_LOG_LEVEL": "error"})
	defer stop()
	b.signIn(url, "trainer@demo.example")
	secret := b.text(`code.secret`)
	code, err := totp.GenerateCode(strings.TrimSpace(secret), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SendKeys(`input[name=code]`, code))
	b.submit(`form[action="/mfa/setup"] button`)
	b.do(chromedp.Navigate(url+"/admin/users"), chromedp.WaitVisible(`form[action="/admin/users"] select[name=role]`))
	roles, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('form[action="/admin/users"][method="post"] select[name=role] option')].map(o => o.value)`))
	if err != nil {
		t.Fatal(err)
	}
	b.shot("users-trainer-zh.png")
	if strings.Join(roles, ",") != "trainee" {
		t.Errorf("a trainer's new-person form offers %v, want trainee only", roles)
	}
}
