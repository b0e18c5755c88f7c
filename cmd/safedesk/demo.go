package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"

	"safedesk"
	"safedesk/passwd"
)

// demoTeams and demoNames make a believable CS organisation: three teams of agents.
var demoTeams = []string{"售前一组 Pre-sales 1", "售后一组 After-sales 1", "夜班组 Night shift"}

var demoNames = []string{"王芳", "李娜", "张伟", "刘洋", "陈静", "杨敏", "赵磊", "黄婷", "周杰", "吴霞",
	"徐强", "孙丽", "胡斌", "朱琳", "高峰", "林雪", "何军", "郭颖", "马超", "罗倩",
	"梁晨", "宋佳", "郑浩", "谢雨", "韩冰", "唐宁", "冯雪", "于洋", "董敏", "萧然"}

// createDemo fills an empty database with the demo organisation of
// ../shared/contracts/api.md: admin, trainer, auditor and agent01…agent30 in three teams,
// every trainee assigned the default course. On a database that has users it does nothing.
func (a *app) createDemo(ctx context.Context, stdout io.Writer) error {
	if _, n, err := a.users.FindUsers(ctx, safedesk.UserFilter{Limit: 1}); err != nil || n > 0 {
		if err == nil {
			a.log.Info("demo organisation not created: the database already has users")
		}
		return err
	}
	pw := a.cfg.DemoPassword
	generated := pw == ""
	if generated {
		pw = randomPassword()
	}
	if err := safedesk.ValidatePassword(pw); err != nil {
		return fmt.Errorf("SAFEDESK_DEMO_PASSWORD: %s", safedesk.ErrorMessage(err))
	}
	// One hash for every demo account: they share the password anyway, and 33 argon2id
	// hashes would slow the first start by a second.
	hash, err := passwd.Hash(pw, passwd.Default)
	if err != nil {
		return err
	}
	ctx = safedesk.WithActor(ctx, safedesk.Actor{Email: "system"})
	var teams []*safedesk.Team
	for _, name := range demoTeams {
		t, err := a.users.CreateTeam(ctx, name)
		if err != nil {
			return err
		}
		teams = append(teams, t)
	}
	staff := []*safedesk.User{
		{Email: "admin@demo.example", Name: "系统管理员 Admin", Role: safedesk.RoleAdmin, EmployeeNo: "A0001"},
		{Email: "trainer@demo.example", Name: "培训师 陈老师", Role: safedesk.RoleTrainer, EmployeeNo: "T0001"},
		{Email: "auditor@demo.example", Name: "审计员 林审计", Role: safedesk.RoleAuditor, EmployeeNo: "U0001"},
	}
	for i := 1; i <= 30; i++ {
		staff = append(staff, &safedesk.User{Email: fmt.Sprintf("agent%02d@demo.example", i), Name: demoNames[i-1],
			Role: safedesk.RoleTrainee, EmployeeNo: fmt.Sprintf("CS%04d", i), TeamID: teams[(i-1)%len(teams)].ID})
	}
	for _, u := range staff {
		u.PasswordHash, u.Active = hash, true
		if err := a.users.CreateUser(ctx, u); err != nil {
			return err
		}
	}
	live, err := a.catalog.Live(ctx)
	if err != nil {
		return err
	}
	due := safedesk.SystemClock{}.Now().AddDate(0, 0, 14)
	for _, p := range live {
		for _, t := range teams {
			if err := a.courses.CreateAssignment(ctx, &safedesk.Assignment{CourseID: p.Pack.ID, TeamID: t.ID, DueAt: due, CreatedBy: "system"}); err != nil {
				return err
			}
		}
	}
	if err := a.audit.Record(ctx, safedesk.AuditDemoCreated, "", map[string]int{"users": len(staff), "teams": len(teams)}); err != nil {
		return err
	}
	if generated {
		fmt.Fprintf(stdout, "Demo organisation created. Sign in as admin@demo.example, trainer@demo.example, auditor@demo.example or agent01@demo.example … agent30@demo.example with the password:\n\n    %s\n\nIt is shown only this once.\n", pw)
	} else {
		fmt.Fprintln(stdout, "Demo organisation created with the password from SAFEDESK_DEMO_PASSWORD.")
	}
	return nil
}

// randomPassword returns 16 characters from an alphabet without look-alikes.
func randomPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}
