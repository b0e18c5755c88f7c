package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"safedesk"
	"safedesk/sqlstore"
)

// TestPeopleInReadingOrder: people and teams are listed as a reader of their names
// expects, Latin names first and Chinese names by pinyin, not by code point; a rename
// moves a person, and keys missing from older rows are filled when the store opens.
func TestPeopleInReadingOrder(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB, clock *fixedClock) {
		ctx := context.Background()
		us := sqlstore.NewUserService(db)
		// By code point this would be 于洋 何军 冯雪 张伟 李娜 白雪 陈静 安娜 (roughly), Zoe, alice.
		for i, name := range []string{"张伟", "陈静", "白雪", "Zoe", "于洋", "何军", "冯雪", "alice", "李娜", "安娜"} {
			u := &safedesk.User{Email: fmt.Sprintf("p%d@demo.example", i), Name: name, Role: safedesk.RoleTrainee, Active: true}
			if err := us.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		want := []string{"alice", "Zoe", "安娜", "白雪", "陈静", "冯雪", "何军", "李娜", "于洋", "张伟"}
		names := func(f safedesk.UserFilter) []string {
			t.Helper()
			users, _, err := us.FindUsers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range users {
				out = append(out, u.Name)
			}
			return out
		}
		if got := names(safedesk.UserFilter{Limit: 50}); !slices.Equal(got, want) {
			t.Errorf("people listed as %v, want %v", got, want)
		}
		// Paging follows the same order.
		if got := names(safedesk.UserFilter{Offset: 4, Limit: 3}); !slices.Equal(got, want[4:7]) {
			t.Errorf("page 2 = %v, want %v", got, want[4:7])
		}
		// Renaming 张伟 to 艾伟 (ài) moves them to the front of the Chinese names.
		users, _, _ := us.FindUsers(ctx, safedesk.UserFilter{Query: "张伟", Limit: 1})
		renamed := "艾伟"
		if _, err := us.UpdateUser(ctx, users[0].ID, safedesk.UserUpdate{Name: &renamed}); err != nil {
			t.Fatal(err)
		}
		want = []string{"alice", "Zoe", "艾伟", "安娜", "白雪", "陈静", "冯雪", "何军", "李娜", "于洋"}
		if got := names(safedesk.UserFilter{Limit: 50}); !slices.Equal(got, want) {
			t.Errorf("after a rename: %v, want %v", got, want)
		}
		// Rows written before keys were kept get theirs when the store migrates.
		if err := sqlstore.ForgetNameKeysForTest(ctx, db); err != nil {
			t.Fatal(err)
		}
		if got := names(safedesk.UserFilter{Limit: 50}); !slices.Equal(got, want) {
			t.Errorf("after filling missing keys: %v, want %v", got, want)
		}
		for _, n := range []string{"质检组", "A 组", "白班", "安全组"} {
			if _, err := us.CreateTeam(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		teams, err := us.FindTeams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var tn []string
		for _, tm := range teams {
			tn = append(tn, tm.Name)
		}
		if want := []string{"A 组", "安全组", "白班", "质检组"}; !slices.Equal(tn, want) {
			t.Errorf("teams listed as %v, want %v", tn, want)
		}
	})
}
