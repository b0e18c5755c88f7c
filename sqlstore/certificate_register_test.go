package sqlstore_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"safedesk"
	"safedesk/sqlstore"
)

// certFixture stores certificates with given dates for one store.
type certFixture struct {
	t     *testing.T
	db    *sqlstore.DB
	n     int
	clock *fixedClock
}

// add stores a certificate of user for course at version, issued at issued and expiring
// at expires, and returns it.
func (f *certFixture) add(u *safedesk.User, course, version string, issued, expires time.Time) *safedesk.Certificate {
	f.t.Helper()
	f.n++
	c := &safedesk.Certificate{Code: certCode(f.n), UserID: u.ID, Holder: u.Name, CourseID: course,
		CourseTitle: safedesk.Text{"en": course, "zh-CN": course}, CourseVersion: version, ExamID: course + "-certification",
		AttemptID: certCode(f.n), IssuedAt: issued, ExpiresAt: expires, KeyID: "k1", Payload: "{}", Signature: "sig"}
	if err := sqlstore.InsertCertificate(context.Background(), f.db, c); err != nil {
		f.t.Fatal(err)
	}
	return c
}

// certCode makes a distinct code in the printed shape.
func certCode(n int) string {
	const alpha = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	return "TEST-" + string(alpha[n/len(alpha)%len(alpha)]) + string(alpha[n%len(alpha)]) + "-CODE"
}

func codesOf[T interface {
	*safedesk.Certificate | *safedesk.RegisterEntry
}](list []T) []string {
	var out []string
	for _, x := range list {
		switch c := any(x).(type) {
		case *safedesk.Certificate:
			out = append(out, c.Code)
		case *safedesk.RegisterEntry:
			out = append(out, c.Code)
		}
	}
	slices.Sort(out)
	return out
}

func sorted(s ...string) []string { slices.Sort(s); return s }

const day = 24 * time.Hour

func TestCertificateRegister(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		us := sqlstore.NewUserService(db)
		cs := sqlstore.NewCertificateService(db)
		teamA, _ := us.CreateTeam(ctx, "Team A")
		teamB, _ := us.CreateTeam(ctx, "Team B")
		a1 := mustCreateUser(t, db, "a1@demo.example", safedesk.RoleTrainee, teamA.ID)
		a2 := mustCreateUser(t, db, "a2@demo.example", safedesk.RoleTrainee, teamA.ID)
		b1 := mustCreateUser(t, db, "b1@demo.example", safedesk.RoleTrainee, teamB.ID)
		now := clock.t
		year := now.AddDate(-1, 0, 0)
		fx := &certFixture{t: t, db: db, clock: clock}
		valid := fx.add(a1, "demo", "1.0.0", year, now.Add(60*day))
		edgeExpiring := fx.add(a2, "demo", "1.0.0", year, now.Add(safedesk.CertExpiringWithin))               // exactly 30 days left
		edgeValid := fx.add(b1, "demo", "1.0.0", year, now.Add(safedesk.CertExpiringWithin+time.Millisecond)) // a moment more
		edgeExpired := fx.add(b1, "adv", "1.0.0", year, now)                                                  // expires this instant
		lastMoment := fx.add(a1, "adv", "1.0.0", year, now.Add(time.Millisecond))
		revoked := fx.add(a2, "adv", "1.0.0", year, now.Add(200*day))
		if _, err := cs.RevokeCertificate(ctx, revoked.Code, "test"); err != nil {
			t.Fatal(err)
		}
		superseded := fx.add(a1, "demo", "0.9.0", year.AddDate(-2, 0, 0), year.AddDate(-1, 0, 0))

		find := func(f safedesk.CertificateFilter) ([]*safedesk.RegisterEntry, int, safedesk.CertificateCounts) {
			t.Helper()
			list, total, counts, err := cs.FindCertificates(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return list, total, counts
		}

		all, total, counts := find(safedesk.CertificateFilter{})
		want := safedesk.CertificateCounts{Valid: 2, Expiring: 2, Expired: 2, Revoked: 1}
		if counts != want || total != 7 || len(all) != 7 {
			t.Fatalf("all: counts %+v total %d len %d; want %+v, 7", counts, total, len(all), want)
		}
		// The SQL statuses agree with the domain's, certificate by certificate.
		byStatus := map[string][]string{}
		for _, e := range all {
			st := e.RegisterStatusAt(now)
			byStatus[st] = append(byStatus[st], e.Code)
			if e.Payload != "" || e.Signature != "" {
				t.Errorf("register entry %s carries its payload", e.Code)
			}
		}
		for _, st := range []string{safedesk.CertValid, safedesk.CertExpiring, safedesk.CertExpired, safedesk.CertRevoked} {
			list, total, _ := find(safedesk.CertificateFilter{Status: st})
			if got, want := codesOf(list), sorted(byStatus[st]...); !slices.Equal(got, want) || total != len(want) {
				t.Errorf("status %s: %v (total %d), want %v", st, got, total, want)
			}
		}
		if got, want := byStatus[safedesk.CertExpiring], sorted(edgeExpiring.Code, lastMoment.Code); !slices.Equal(sorted(got...), want) {
			t.Errorf("expiring = %v, want %v (the 30-day boundary is expiring)", got, want)
		}
		if !slices.Contains(byStatus[safedesk.CertValid], edgeValid.Code) || !slices.Contains(byStatus[safedesk.CertExpired], edgeExpired.Code) {
			t.Errorf("boundaries: %v", byStatus)
		}

		// Holder details come along.
		for _, e := range all {
			if e.Code == valid.Code && (e.Email != "a1@demo.example" || e.Team != "Team A" || e.TeamID != teamA.ID || e.Holder != a1.Name) {
				t.Errorf("entry = %+v", e)
			}
		}

		// Team and course filters; counts ignore the status filter but follow the others.
		list, total, counts := find(safedesk.CertificateFilter{TeamID: teamA.ID, Status: safedesk.CertExpiring})
		if want := (safedesk.CertificateCounts{Valid: 1, Expiring: 2, Expired: 1, Revoked: 1}); counts != want || total != 2 || len(list) != 2 {
			t.Errorf("team A expiring: counts %+v total %d %v", counts, total, codesOf(list))
		}
		list, _, counts = find(safedesk.CertificateFilter{CourseID: "demo", Current: true})
		if got := codesOf(list); !slices.Equal(got, sorted(valid.Code, edgeExpiring.Code, edgeValid.Code)) || counts.Expired != 0 {
			t.Errorf("current demo certificates = %v %+v; the superseded %s must be left out", got, counts, superseded.Code)
		}
		list, _, _ = find(safedesk.CertificateFilter{UserID: a1.ID, Codes: []string{valid.Code, superseded.Code, edgeValid.Code}})
		if got := codesOf(list); !slices.Equal(got, sorted(valid.Code, superseded.Code)) {
			t.Errorf("by person and codes = %v", got)
		}

		// Paging keeps the order and the total.
		var paged []string
		for off := 0; off < 7; off += 3 {
			page, total, _ := find(safedesk.CertificateFilter{Limit: 3, Offset: off})
			if total != 7 {
				t.Fatalf("paged total = %d", total)
			}
			for _, e := range page {
				paged = append(paged, e.Code)
			}
		}
		var ordered []string
		for _, e := range all {
			ordered = append(ordered, e.Code)
		}
		if !slices.Equal(paged, ordered) {
			t.Errorf("pages %v, want %v", paged, ordered)
		}

		if _, _, _, err := cs.FindCertificates(ctx, safedesk.CertificateFilter{Status: "bogus"}); safedesk.ErrorCode(err) != safedesk.EINVALID {
			t.Errorf("bad status: %v", err)
		}

		// A millisecond later the valid one at the boundary is expiring, and the last-moment
		// one has expired.
		clock.t = now.Add(time.Millisecond)
		_, _, counts = find(safedesk.CertificateFilter{})
		if want := (safedesk.CertificateCounts{Valid: 1, Expiring: 2, Expired: 3, Revoked: 1}); counts != want {
			t.Errorf("a moment later: %+v, want %+v", counts, want)
		}
	})
}

func TestMarkRecertify(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		us := sqlstore.NewUserService(db)
		cs := sqlstore.NewCertificateService(db)
		audit := sqlstore.NewAuditService(db)
		team, _ := us.CreateTeam(ctx, "Team A")
		u1 := mustCreateUser(t, db, "u1@demo.example", safedesk.RoleTrainee, team.ID)
		u2 := mustCreateUser(t, db, "u2@demo.example", safedesk.RoleTrainee, team.ID)
		u3 := mustCreateUser(t, db, "u3@demo.example", safedesk.RoleTrainee, "")
		u4 := mustCreateUser(t, db, "u4@demo.example", safedesk.RoleTrainee, "")
		now := clock.t
		fx := &certFixture{t: t, db: db, clock: clock}
		old := fx.add(u1, "demo", "1.0.0", now.AddDate(0, -6, 0), now.AddDate(0, 6, 0))
		early := fx.add(u2, "demo", "1.2.0", now.AddDate(0, -6, 0), now.AddDate(0, 6, 0))
		newer := fx.add(u3, "demo", "2.0.0", now.AddDate(0, -1, 0), now.AddDate(0, 11, 0))
		expired := fx.add(u4, "demo", "1.0.0", now.AddDate(-1, 0, 0), now)
		revoked := fx.add(u4, "demo", "1.0.0", now.AddDate(0, -2, 0), now.AddDate(0, 10, 0))
		cs.RevokeCertificate(ctx, revoked.Code, "test")
		superseded := fx.add(u3, "demo", "1.0.0", now.AddDate(0, -3, 0), now.AddDate(0, 9, 0)) // u3 recertified on 2.0.0 since
		otherCourse := fx.add(u1, "adv", "1.0.0", now.AddDate(0, -1, 0), now.AddDate(0, 11, 0))

		v1 := safedesk.CertificateFilter{CourseID: "demo", CourseVersions: []string{"1.0.0", "1.2.0"}}
		if got, err := cs.MarkRecertify(ctx, safedesk.CertificateFilter{Codes: []string{early.Code}}, now.Add(10*day), "incident 7"); err != nil || len(got) != 1 {
			t.Fatalf("mark one = %v, %v", got, err)
		}
		by := now.Add(safedesk.RecertifyWithin)
		got, err := cs.MarkRecertify(ctx, v1, by, "new major version 2.0.0")
		if err != nil {
			t.Fatal(err)
		}
		if codes := codesOf(got); !slices.Equal(codes, []string{old.Code}) {
			t.Fatalf("marked %v, want only %s (not %s: due earlier; not %s, %s, %s, %s, %s)", codes, old.Code, early.Code,
				newer.Code, expired.Code, revoked.Code, superseded.Code, otherCourse.Code)
		}
		c, _ := cs.FindCertificate(ctx, old.Code)
		if !c.RecertifyBy.Equal(by) || c.RecertifyReason != "new major version 2.0.0" || !c.RecertifyPending(now) {
			t.Errorf("marked certificate = %v %q", c.RecertifyBy, c.RecertifyReason)
		}
		c, _ = cs.FindCertificate(ctx, early.Code)
		if !c.RecertifyBy.Equal(now.Add(10*day)) || c.RecertifyReason != "incident 7" {
			t.Errorf("an earlier date was moved: %v %q", c.RecertifyBy, c.RecertifyReason)
		}
		// Marking again changes nothing and records nothing.
		entries, before, _ := audit.FindAudit(ctx, safedesk.AuditFilter{Action: safedesk.AuditCertRecertifyMarked})
		if again, err := cs.MarkRecertify(ctx, v1, by, "new major version 2.0.0"); err != nil || len(again) != 0 {
			t.Fatalf("second mark = %v, %v", again, err)
		}
		if _, after, _ := audit.FindAudit(ctx, safedesk.AuditFilter{Action: safedesk.AuditCertRecertifyMarked}); after != before || before != 2 {
			t.Errorf("audit entries %d then %d, want 2 and 2", before, after)
		}
		if entries[0].Target != "demo" {
			t.Errorf("audit target = %q", entries[0].Target)
		}
		// An earlier date moves both.
		if got, err := cs.MarkRecertify(ctx, v1, now.Add(5*day), "incident 8"); err != nil || !slices.Equal(codesOf(got), sorted(old.Code, early.Code)) {
			t.Fatalf("earlier mark = %v, %v", codesOf(got), err)
		}
		// Each date set was notified once, with its own reference.
		notes := sqlstore.NewNotificationService(db)
		for _, tc := range []struct {
			u    *safedesk.User
			want int
		}{{u1, 2}, {u2, 2}, {u3, 0}, {u4, 0}} {
			list, unread, _ := notes.FindNotifications(ctx, tc.u.ID, 10)
			if unread != tc.want {
				t.Errorf("%s has %d notifications, want %d", tc.u.Email, unread, tc.want)
			}
			for _, n := range list {
				var p safedesk.CertNoteParams
				json.Unmarshal([]byte(n.Params), &p)
				if n.Kind != safedesk.NotifyCertRecertify || p.By.IsZero() || p.Reason == "" || p.CourseID != "demo" {
					t.Errorf("notification %s %s", n.Kind, n.Params)
				}
			}
		}
		_, _, counts, _ := cs.FindCertificates(ctx, safedesk.CertificateFilter{CourseID: "demo"})
		if counts.Recertify != 2 {
			t.Errorf("recertify count = %d, want 2", counts.Recertify)
		}
		list, _, _, _ := cs.FindCertificates(ctx, safedesk.CertificateFilter{Status: safedesk.CertRecertify})
		if !slices.Equal(codesOf(list), sorted(old.Code, early.Code)) {
			t.Errorf("recertify filter = %v", codesOf(list))
		}

		for name, tc := range map[string]struct {
			f      safedesk.CertificateFilter
			reason string
		}{
			"no narrowing": {safedesk.CertificateFilter{}, "x"},
			"expired":      {safedesk.CertificateFilter{CourseID: "demo", Status: safedesk.CertExpired}, "x"},
			"no reason":    {safedesk.CertificateFilter{CourseID: "demo"}, "  "},
		} {
			if _, err := cs.MarkRecertify(ctx, tc.f, by, tc.reason); safedesk.ErrorCode(err) != safedesk.EINVALID {
				t.Errorf("%s: %v, want invalid", name, err)
			}
		}
	})
}

func TestExpiringCertificatesAndRenewal(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		cs := sqlstore.NewCertificateService(db)
		courses := sqlstore.NewCourseService(db)
		u := mustCreateUser(t, db, "u@demo.example", safedesk.RoleTrainee, "")
		v := mustCreateUser(t, db, "v@demo.example", safedesk.RoleTrainee, "")
		gone := &safedesk.User{Email: "gone@demo.example", Name: "Gone", Role: safedesk.RoleTrainee, Active: false}
		if err := sqlstore.NewUserService(db).CreateUser(ctx, gone); err != nil {
			t.Fatal(err)
		}
		now := clock.t
		issued := now.AddDate(-1, 0, 0)
		fx := &certFixture{t: t, db: db, clock: clock}
		atEdge := fx.add(u, "a", "1.0.0", issued, now.Add(30*day))
		fx.add(u, "b", "1.0.0", issued, now.Add(30*day+time.Millisecond)) // just outside
		fx.add(u, "c", "1.0.0", issued, now)                              // expired this instant
		lastMoment := fx.add(v, "a", "1.0.0", issued, now.Add(time.Millisecond))
		revoked := fx.add(v, "b", "1.0.0", issued, now.Add(day))
		cs.RevokeCertificate(ctx, revoked.Code, "test")
		fx.add(gone, "a", "1.0.0", issued, now.Add(day))                      // holder deactivated
		fx.add(v, "d", "1.0.0", issued, now.Add(day))                         // superseded by the next
		fx.add(v, "d", "1.0.0", now.AddDate(0, -1, 0), now.AddDate(0, 11, 0)) // recertified early

		got, err := cs.FindExpiringCertificates(ctx, now.Add(30*day))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Code != lastMoment.Code || got[1].Code != atEdge.Code {
			t.Fatalf("expiring = %v, want [%s %s] soonest first", codesOf(got), lastMoment.Code, atEdge.Code)
		}

		notes := sqlstore.NewNotificationService(db)
		// The 30-day reminder assigns the course again, due at the expiry.
		reminded, assigned, err := cs.RemindExpiry(ctx, atEdge.Code, 30)
		if err != nil || !reminded || !assigned {
			t.Fatalf("RemindExpiry 30 = %v, %v, %v", reminded, assigned, err)
		}
		if reminded, assigned, err := cs.RemindExpiry(ctx, atEdge.Code, 30); err != nil || reminded || assigned {
			t.Fatalf("second RemindExpiry 30 = %v, %v, %v; want nothing new", reminded, assigned, err)
		}
		due, err := courses.FindUserAssignments(ctx, u.ID)
		if err != nil || len(due) != 1 || due[0].CourseID != "a" || !due[0].DueAt.Equal(atEdge.ExpiresAt) {
			t.Fatalf("assignments = %+v, %v", due, err)
		}
		// A closer threshold reminds again without assigning again; a farther one does not.
		if reminded, assigned, err := cs.RemindExpiry(ctx, atEdge.Code, 7); err != nil || !reminded || assigned {
			t.Fatalf("RemindExpiry 7 = %v, %v, %v", reminded, assigned, err)
		}
		if reminded, _, err := cs.RemindExpiry(ctx, atEdge.Code, 14); err != nil || reminded {
			t.Fatalf("RemindExpiry 14 after 7 = %v, %v", reminded, err)
		}
		list, unread, _ := notes.FindNotifications(ctx, u.ID, 10)
		if unread != 2 || list[0].Kind != safedesk.NotifyCertExpiring {
			t.Fatalf("notifications = %d %+v", unread, list)
		}
		var p safedesk.CertNoteParams
		if err := json.Unmarshal([]byte(list[0].Params), &p); err != nil || p.Code != atEdge.Code || p.CourseID != "a" ||
			!p.ExpiresAt.Equal(atEdge.ExpiresAt) || (p.Days != 7 && p.Days != 30) || p.ExamID != "a-certification" {
			t.Fatalf("params = %s, %v", list[0].Params, err)
		}
		c, _ := cs.FindCertificate(ctx, atEdge.Code)
		if c.RemindedDays != 7 || c.RenewalAssignedAt.IsZero() {
			t.Errorf("certificate after reminders: reminded %d, assigned %v", c.RemindedDays, c.RenewalAssignedAt)
		}
		if _, _, err := cs.RemindExpiry(ctx, "NOPE-NOPE-NOPE", 7); safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			t.Fatalf("unknown code: %v", err)
		}
	})
}
