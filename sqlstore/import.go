package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"safedesk"
)

// ImportUsers creates or updates every row in one transaction, or nothing. Each row must
// name an existing team; rows whose e-mail exists update that user. Every bad row is
// reported in one *safedesk.ImportError.
func (s *UserService) ImportUsers(ctx context.Context, rows []safedesk.ImportRow) (safedesk.ImportResult, error) {
	var res safedesk.ImportResult
	teams, err := s.FindTeams(ctx)
	if err != nil {
		return res, err
	}
	teamID := map[string]string{}
	for _, t := range teams {
		teamID[t.Name] = t.ID
	}
	var bad []safedesk.RowError
	users := make([]*safedesk.User, len(rows))
	for i, r := range rows {
		u := &safedesk.User{Name: r.Name, Email: r.Email, Role: r.Role, EmployeeNo: r.EmployeeNo, Active: true}
		if err := u.Validate(); err != nil {
			e := err.(*safedesk.Error)
			bad = append(bad, safedesk.RowError{Line: r.Line, Field: e.Field, Message: e.Message})
			continue
		}
		if r.Team != "" {
			id, ok := teamID[r.Team]
			if !ok {
				bad = append(bad, safedesk.RowError{Line: r.Line, Field: "team", Message: fmt.Sprintf("No team named %q. Create the team first, or correct the name.", r.Team)})
				continue
			}
			u.TeamID = id
		}
		users[i] = u
	}
	if len(bad) > 0 {
		return res, &safedesk.ImportError{Rows: bad}
	}
	err = s.db.tx(ctx, func(tx *Tx) error {
		// Read the numbers already held in the transaction that writes the new ones.
		if err := s.db.lockEmployeeNumbers(ctx, tx); err != nil {
			return err
		}
		if bad, err := duplicateEmployeeNos(ctx, tx, rows); err != nil || len(bad) > 0 {
			if err == nil {
				err = &safedesk.ImportError{Rows: bad}
			}
			return err
		}
		res = safedesk.ImportResult{}
		for _, u := range users {
			var id string
			err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = $1`, u.Email).Scan(&id)
			switch {
			case err == sql.ErrNoRows:
				if err := s.createUser(ctx, tx, u); err != nil {
					return err
				}
				res.Created++
			case err != nil:
				return err
			default:
				if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, employee_no = $2, team_id = $3, role = $4, updated_at = $5, name_key = $6 WHERE id = $7`,
					u.Name, u.EmployeeNo, nullable(u.TeamID), u.Role, ms(s.db.now()), nameKey(u.Name), id); err != nil {
					return err
				}
				res.Updated++
			}
		}
		if res.Updated > 0 { // roles and teams may have changed
			if err := bumpIdentityEpoch(ctx, tx); err != nil {
				return err
			}
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditUsersImported, "", res)
	})
	return res, err
}

// duplicateEmployeeNos reports rows whose employee number (compared by
// safedesk.EmployeeNoKey, as CreateUser and UpdateUser compare it) another person would
// hold after the import: someone on an earlier line, or someone already stored whom the
// file does not renumber.
func duplicateEmployeeNos(ctx context.Context, tx *Tx, rows []safedesk.ImportRow) ([]safedesk.RowError, error) {
	inFile := map[string]bool{} // e-mails the file writes, whose stored numbers it replaces
	for _, r := range rows {
		inFile[safedesk.NormalizeEmail(r.Email)] = true
	}
	held := map[string]string{} // number → e-mail of its holder after the import
	err := eachEmployeeNo(ctx, tx, func(_, email, key string) bool {
		if !inFile[email] {
			held[key] = email
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	var bad []safedesk.RowError
	line := map[string]int{} // number → first line holding it
	for _, r := range rows {
		no := safedesk.EmployeeNoKey(r.EmployeeNo)
		if no == "" {
			continue
		}
		email := safedesk.NormalizeEmail(r.Email)
		switch holder, ok := held[no]; {
		case ok && holder != email && line[no] > 0:
			bad = append(bad, safedesk.RowError{Line: r.Line, Field: "employee_no",
				Message: fmt.Sprintf("The employee number %s is also on line %d.", r.EmployeeNo, line[no])})
		case ok && holder != email:
			bad = append(bad, safedesk.RowError{Line: r.Line, Field: "employee_no",
				Message: fmt.Sprintf("Another person already has the employee number %s.", r.EmployeeNo)})
		case !ok:
			held[no], line[no] = email, r.Line
		}
	}
	return bad, nil
}
