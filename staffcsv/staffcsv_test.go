package staffcsv

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestParse(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("姓名,邮箱,团队,角色,工号\n张三,zhang@demo.example,售后一组,学员,E001\n")
	cases := []struct {
		name     string
		in       string
		rows     int
		bad      []string // "line:field"
		fileErr  string
		firstRow string
	}{
		{name: "english header", in: "name,email,team,role,employee_no\nLi Lei,li@demo.example,Night,trainee,7\n", rows: 1, firstRow: "Li Lei"},
		{name: "bom and crlf", in: "\ufeffname,email,role\r\nA,a@demo.example,agent\r\n", rows: 1, firstRow: "A"},
		{name: "gbk from excel", in: gbk, rows: 1, firstRow: "张三"},
		{name: "blank lines skipped", in: "name,email,role\n\nA,a@demo.example,trainee\n,,\n", rows: 1},
		{name: "bad rows all reported", in: "name,email,role\nA,a@demo,trainee\n,b@demo.example,trainee\nC,c@demo.example,boss\nD,d@demo.example,trainee\n",
			rows: 1, bad: []string{"2:email", "3:name", "4:role"}},
		{name: "duplicate email", in: "name,email,role\nA,a@demo.example,trainee\nB,A@demo.example,trainee\n", rows: 1, bad: []string{"3:email"}},
		{name: "unknown column", in: "name,email,role,salary\n", fileErr: `unknown column "salary"`},
		{name: "missing column", in: "name,team\nA,B\n", fileErr: "lacks the email column"},
		{name: "empty", in: "", fileErr: "empty"},
		{name: "header only", in: "name,email,role\n", fileErr: "no rows"},
		{name: "utf16", in: "\xff\xfen\x00a\x00", fileErr: "UTF-16"},
		{name: "bad quote", in: "name,email,role\n\"A,a@demo.example,trainee\n", bad: []string{"2:"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rows, bad, err := Parse(strings.NewReader(tc.in))
			if tc.fileErr != "" {
				if !errors.Is(err, ErrFile) || !strings.Contains(err.Error(), tc.fileErr) {
					t.Fatalf("err = %v, want file error containing %q", err, tc.fileErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.rows {
				t.Errorf("rows = %d, want %d (%+v)", len(rows), tc.rows, rows)
			}
			var got []string
			for _, b := range bad {
				got = append(got, strconv.Itoa(b.Line)+":"+b.Field)
			}
			if strings.Join(got, ",") != strings.Join(tc.bad, ",") {
				t.Errorf("bad rows = %v, want %v (%+v)", got, tc.bad, bad)
			}
			if tc.firstRow != "" && rows[0].Name != tc.firstRow {
				t.Errorf("first name = %q, want %q", rows[0].Name, tc.firstRow)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add("name,email,role\nA,a@demo.example,trainee\n")
	f.Add("\ufeff姓名,邮箱,团队,角色,工号\n张三,z@demo.example,一组,学员,1\n")
	f.Add("name,email,role\n\"A,\"\"b\",c\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, bad, err := Parse(strings.NewReader(in))
		if err != nil && (rows != nil || bad != nil) {
			t.Fatal("a file error returns no rows")
		}
		for _, r := range rows {
			if r.Email == "" || r.Name == "" || r.Role == "" || r.Line < 2 {
				t.Fatalf("accepted an incomplete row %+v", r)
			}
		}
	})
}
