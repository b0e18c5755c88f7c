// Package staffcsv reads the staff list an HR system or a spreadsheet exports: one person
// per row with name, login e-mail, team, role and employee number. It accepts UTF-8 (with or
// without a byte-order mark) and GB18030/GBK, which Excel writes on Chinese Windows, and
// headers in Chinese or English. It checks each row on its own and reports every bad row;
// checks that need the database (does the team exist?) are the store's.
package staffcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"safedesk"
)

// MaxRows and MaxBytes bound one import.
const (
	MaxRows  = 20000
	MaxBytes = 8 << 20
)

// columns maps accepted header spellings to a field.
var columns = map[string]string{
	"name": "name", "姓名": "name", "名字": "name",
	"email": "email", "e-mail": "email", "login": "email", "login e-mail": "email", "邮箱": "email", "登录邮箱": "email", "电子邮箱": "email",
	"team": "team", "团队": "team", "班组": "team", "小组": "team",
	"role": "role", "角色": "role",
	"employee_no": "employee_no", "employee number": "employee_no", "employee no": "employee_no", "工号": "employee_no", "员工编号": "employee_no",
}

// roles maps accepted role spellings to a role.
var roles = map[string]string{
	"admin": safedesk.RoleAdmin, "管理员": safedesk.RoleAdmin,
	"trainer": safedesk.RoleTrainer, "培训师": safedesk.RoleTrainer, "讲师": safedesk.RoleTrainer,
	"auditor": safedesk.RoleAuditor, "审计员": safedesk.RoleAuditor, "审计": safedesk.RoleAuditor,
	"trainee": safedesk.RoleTrainee, "agent": safedesk.RoleTrainee, "学员": safedesk.RoleTrainee, "客服": safedesk.RoleTrainee,
}

// ErrFile is a problem with the file as a whole (encoding, header, size).
var ErrFile = errors.New("staff file")

// Parse reads the whole file. It returns the good rows and every row error; a caller that
// imports all-or-nothing refuses the file when the error list is not empty. A problem with
// the file as a whole is returned as err.
func Parse(r io.Reader) ([]safedesk.ImportRow, []safedesk.RowError, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(b) > MaxBytes {
		return nil, nil, fmt.Errorf("%w: larger than %d MiB; split it into several files", ErrFile, MaxBytes>>20)
	}
	b, err = toUTF8(b)
	if err != nil {
		return nil, nil, err
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, fmt.Errorf("%w: the file is empty", ErrFile)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: line 1: %v", ErrFile, csvReason(err))
	}
	idx, err := mapHeader(header)
	if err != nil {
		return nil, nil, err
	}
	var rows []safedesk.ImportRow
	var bad []safedesk.RowError
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			bad = append(bad, safedesk.RowError{Line: line, Message: csvReason(err)})
			if pe == nil {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rows)+len(bad) >= MaxRows {
			return nil, nil, fmt.Errorf("%w: more than %d rows; split it into several files", ErrFile, MaxRows)
		}
		row, rerr := readRow(line, rec, idx)
		if rerr != nil {
			bad = append(bad, *rerr)
			continue
		}
		if first, dup := seen[row.Email]; dup {
			bad = append(bad, safedesk.RowError{Line: line, Field: "email", Message: fmt.Sprintf("%s is also on line %d", row.Email, first)})
			continue
		}
		seen[row.Email] = line
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(bad) == 0 {
		return nil, nil, fmt.Errorf("%w: no rows below the header", ErrFile)
	}
	return rows, bad, nil
}

// toUTF8 strips a UTF-8 byte-order mark, or decodes GB18030 (a superset of GBK) when the
// bytes are not UTF-8. Anything else is refused with what to do.
func toUTF8(b []byte) ([]byte, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if utf8.Valid(b) {
		return b, nil
	}
	if bytes.HasPrefix(b, []byte("\xff\xfe")) || bytes.HasPrefix(b, []byte("\xfe\xff")) {
		return nil, fmt.Errorf("%w: the file is UTF-16; save it as \"CSV UTF-8\" and try again", ErrFile)
	}
	d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || !utf8.Valid(d) {
		return nil, fmt.Errorf("%w: the file is neither UTF-8 nor GBK; save it as \"CSV UTF-8\" and try again", ErrFile)
	}
	return d, nil
}

func mapHeader(header []string) (map[string]int, error) {
	idx := map[string]int{}
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		f, ok := columns[key]
		if !ok {
			return nil, fmt.Errorf("%w: line 1: unknown column %q (expected name, email, team, role, employee_no or 姓名, 邮箱, 团队, 角色, 工号)", ErrFile, h)
		}
		if _, dup := idx[f]; dup {
			return nil, fmt.Errorf("%w: line 1: column %q appears twice", ErrFile, f)
		}
		idx[f] = i
	}
	for _, need := range []string{"name", "email", "role"} {
		if _, ok := idx[need]; !ok {
			return nil, fmt.Errorf("%w: line 1: the header lacks the %s column", ErrFile, need)
		}
	}
	return idx, nil
}

func readRow(line int, rec []string, idx map[string]int) (safedesk.ImportRow, *safedesk.RowError) {
	get := func(f string) string {
		i, ok := idx[f]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	row := safedesk.ImportRow{Line: line, Name: get("name"), Email: safedesk.NormalizeEmail(get("email")),
		Team: get("team"), EmployeeNo: get("employee_no")}
	rawRole := get("role")
	role, ok := roles[strings.ToLower(rawRole)]
	if !ok {
		return row, &safedesk.RowError{Line: line, Field: "role", Message: fmt.Sprintf("%q is not a role (admin, trainer, auditor, trainee / 管理员, 培训师, 审计员, 学员)", rawRole)}
	}
	row.Role = role
	u := safedesk.User{Name: row.Name, Email: row.Email, Role: row.Role, EmployeeNo: row.EmployeeNo}
	if err := u.Validate(); err != nil {
		var e *safedesk.Error
		errors.As(err, &e)
		return row, &safedesk.RowError{Line: line, Field: e.Field, Message: e.Message}
	}
	return row, nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
