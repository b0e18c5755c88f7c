package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"safedesk"
	"safedesk/content"
	"safedesk/sqlstore"
)

// packFiles returns a tiny pack of version v whose lessons have the given ids.
func packFiles(v string, lessons ...string) map[string][]byte {
	files := map[string][]byte{
		"pack.yaml":               []byte("id: demo\nversion: " + v + "\ntitle: {zh-CN: 演示, en: Demo}\ndescription: {zh-CN: 说明, en: About}\nlanguages: [zh-CN, en]\n"),
		"chapters/1/chapter.yaml": []byte("id: ch01\norder: 1\ntitle: {zh-CN: 一, en: One}\nsummary: {zh-CN: 一, en: One}\n"),
	}
	for i, id := range lessons {
		for _, lang := range []string{"zh-CN", "en"} {
			files["chapters/1/"+id+"."+lang+".md"] = []byte("---\nid: " + id + "\norder: " + string(rune('1'+i)) +
				"\ntitle: T\nminutes: 3\nobjectives: [o]\nsummary: s\n---\n\n## H\n\nBody\n")
		}
	}
	return files
}

func TestCourseVersionsAndProgress(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		cs := sqlstore.NewCourseService(db)
		cat := content.NewCatalog(cs)
		u := mustCreateUser(t, db, "learner@demo.example", safedesk.RoleTrainee, "")

		v1, _, err := cat.Install(ctx, packFiles("1.0.0", "l-keep", "l-drop"), "admin")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := cat.Install(ctx, packFiles("1.0.0", "l-keep"), "admin"); safedesk.ErrorCode(err) != safedesk.ECONFLICT {
			t.Fatalf("re-installing 1.0.0: %v, want conflict", err)
		}
		for _, p := range []*safedesk.Progress{
			{UserID: u.ID, CourseID: "demo", LessonID: "l-keep", Read: true, Position: 100},
			{UserID: u.ID, CourseID: "demo", LessonID: "l-drop", Position: 40},
			{UserID: u.ID, CourseID: "demo", LessonID: "l-drop", Position: 10}, // never moves back
		} {
			if err := cs.SaveProgress(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if err := cs.SaveProgress(ctx, &safedesk.Progress{UserID: u.ID, CourseID: "demo", LessonID: "x", Position: 101}); safedesk.ErrorCode(err) != safedesk.EINVALID {
			t.Fatalf("position 101: %v", err)
		}

		// A broken pack changes nothing: v1 stays live.
		broken := packFiles("2.0.0", "l-keep")
		delete(broken, "chapters/1/l-keep.en.md")
		if _, _, err := cat.Install(ctx, broken, "admin"); err == nil {
			t.Fatal("a broken pack was installed")
		}
		live, err := cat.Live(ctx)
		if err != nil || len(live) != 1 || live[0].Version.ID != v1.ID {
			t.Fatalf("live after refused install = %+v, %v", live, err)
		}

		// v2 keeps l-keep and adds l-new: progress carries over by lesson id.
		clock.t = clock.t.Add(time.Hour)
		v2, p2, err := cat.Install(ctx, packFiles("2.0.0", "l-keep", "l-new"), "admin")
		if err != nil {
			t.Fatal(err)
		}
		live, _ = cat.Live(ctx)
		if live[0].Version.ID != v2.ID || p2.Lesson("l-drop") != nil {
			t.Fatalf("v2 not live: %+v", live[0].Version)
		}
		prog, err := cs.FindProgress(ctx, u.ID, "demo")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]safedesk.Progress{}
		for _, p := range prog {
			got[p.LessonID] = *p
		}
		if !got["l-keep"].Read || got["l-drop"].Position != 40 || got["l-drop"].Read {
			t.Fatalf("progress = %+v", got)
		}
		versions, err := cs.FindVersions(ctx, "demo")
		if err != nil || len(versions) != 2 || !versions[0].Live || versions[1].Live || versions[0].Version != "2.0.0" {
			t.Fatalf("versions = %+v, %v", versions, err)
		}
		full, err := cs.FindVersionByID(ctx, v1.ID)
		if err != nil || len(full.Files) != len(packFiles("1.0.0", "l-keep", "l-drop")) {
			t.Fatalf("old version files: %v", err)
		}
	})
}

func TestAssignmentsAndReminders(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		cs := sqlstore.NewCourseService(db)
		ns := sqlstore.NewNotificationService(db)
		team, _ := sqlstore.NewUserService(db).CreateTeam(ctx, "Night")
		inTeam := mustCreateUser(t, db, "a@demo.example", safedesk.RoleTrainee, team.ID)
		alone := mustCreateUser(t, db, "b@demo.example", safedesk.RoleTrainee, "")
		other := mustCreateUser(t, db, "c@demo.example", safedesk.RoleTrainee, "")

		soon, later := clock.t.Add(48*time.Hour), clock.t.Add(20*24*time.Hour)
		for _, a := range []*safedesk.Assignment{
			{CourseID: "demo", TeamID: team.ID, DueAt: later, CreatedBy: "t"},
			{CourseID: "demo", UserID: inTeam.ID, DueAt: soon, CreatedBy: "t"},
			{CourseID: "demo", UserID: alone.ID, DueAt: later, CreatedBy: "t"},
		} {
			if err := cs.CreateAssignment(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := cs.CreateAssignment(ctx, &safedesk.Assignment{CourseID: "demo", DueAt: soon}); safedesk.ErrorCode(err) != safedesk.EINVALID {
			t.Fatalf("assignment without target: %v", err)
		}
		if err := cs.CreateAssignment(ctx, &safedesk.Assignment{CourseID: "demo", TeamID: "nope", DueAt: soon}); safedesk.ErrorCode(err) != safedesk.EINVALID {
			t.Fatalf("assignment to a missing team: %v", err)
		}
		mine, err := cs.FindUserAssignments(ctx, inTeam.ID)
		if err != nil || len(mine) != 1 || !mine[0].DueAt.Equal(soon) {
			t.Fatalf("team member's assignments = %+v, %v (want the earlier due date)", mine, err)
		}
		if none, _ := cs.FindUserAssignments(ctx, other.ID); len(none) != 0 {
			t.Fatalf("unassigned user sees %+v", none)
		}
		due, err := ns.FindDueSoon(ctx, clock.t.Add(72*time.Hour))
		if err != nil || len(due) != 1 || due[0].UserID != inTeam.ID {
			t.Fatalf("FindDueSoon = %+v, %v", due, err)
		}

		n := &safedesk.Notification{UserID: inTeam.ID, Kind: safedesk.NotifyDueSoon, Ref: "demo@x", Params: "{}"}
		if ok, err := ns.Notify(ctx, n); !ok || err != nil {
			t.Fatalf("first Notify = %v, %v", ok, err)
		}
		if ok, err := ns.Notify(ctx, &safedesk.Notification{UserID: inTeam.ID, Kind: safedesk.NotifyDueSoon, Ref: "demo@x", Params: "{}"}); ok || err != nil {
			t.Fatalf("repeated Notify = %v, %v", ok, err)
		}
		list, unread, err := ns.FindNotifications(ctx, inTeam.ID, 10)
		if err != nil || len(list) != 1 || unread != 1 {
			t.Fatalf("FindNotifications = %d, %d, %v", len(list), unread, err)
		}
		ns.MarkNotificationsRead(ctx, inTeam.ID)
		if _, unread, _ := ns.FindNotifications(ctx, inTeam.ID, 10); unread != 0 {
			t.Fatalf("unread after marking = %d", unread)
		}
	})
}

func TestSessionsAndTokens(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		as := sqlstore.NewAuthService(db)
		u := mustCreateUser(t, db, "s@demo.example", safedesk.RoleTrainee, "")
		now := clock.t
		if err := as.CreateSession(ctx, &safedesk.Session{ID: "h1", UserID: u.ID, CSRF: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if s, err := as.FindSession(ctx, "h1"); err != nil || s.UserID != u.ID || s.MFAPassed {
			t.Fatalf("FindSession = %+v, %v", s, err)
		}
		as.MarkSessionMFA(ctx, "h1")
		if s, _ := as.FindSession(ctx, "h1"); !s.MFAPassed {
			t.Fatal("MFA mark lost")
		}
		tok := &safedesk.Token{UserID: u.ID, Name: "chat", Scopes: []string{safedesk.ScopeCheck}, CreatedAt: now, ExpiresAt: now.Add(2 * time.Hour)}
		if err := as.CreateToken(ctx, tok, "th1"); err != nil {
			t.Fatal(err)
		}
		if got, err := as.FindTokenByHash(ctx, "th1"); err != nil || !got.HasScope(safedesk.ScopeCheck) || got.HasScope(safedesk.ScopeAPI) {
			t.Fatalf("FindTokenByHash = %+v, %v", got, err)
		}
		clock.t = now.Add(90 * time.Minute) // the session has expired, the token not yet
		if _, err := as.FindSession(ctx, "h1"); safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			t.Fatalf("expired session found: %v", err)
		}
		if n, err := as.DeleteExpired(ctx); err != nil || n != 1 {
			t.Fatalf("DeleteExpired = %d, %v", n, err)
		}
		if err := as.DeleteToken(ctx, "someone-else", tok.ID); safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			t.Fatalf("deleting another user's token: %v", err)
		}
		// Deactivating a user ends their sessions and tokens at once.
		off := false
		if _, err := sqlstore.NewUserService(db).UpdateUser(ctx, u.ID, safedesk.UserUpdate{Active: &off}); err != nil {
			t.Fatal(err)
		}
		if _, err := as.FindTokenByHash(ctx, "th1"); safedesk.ErrorCode(err) != safedesk.ENOTFOUND {
			t.Fatalf("token of a deactivated user still valid: %v", err)
		}
	})
}
