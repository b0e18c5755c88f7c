package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"safedesk"
)

// UserService stores users and teams.
type UserService struct{ db *DB }

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

var _ safedesk.UserService = (*UserService)(nil)

const userColumns = `u.id, u.email, u.name, u.employee_no, COALESCE(u.team_id, ''), COALESCE(t.name, ''), u.role,
	u.active, u.lang, u.mfa_enabled, u.password_hash, u.mfa_secret, u.created_at, u.updated_at`

type scanner interface{ Scan(...any) error }

func scanUser(s scanner) (*safedesk.User, error) {
	var u safedesk.User
	var created, updated int64
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.EmployeeNo, &u.TeamID, &u.TeamName, &u.Role, &u.Active, &u.Lang,
		&u.MFAEnabled, &u.PasswordHash, &u.MFASecret, &created, &updated)
	if err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = fromMS(created), fromMS(updated)
	return &u, nil
}

// FindUserByID returns ENOTFOUND when there is no such user. It is on every request's
// path, so it is one indexed query.
func (s *UserService) FindUserByID(ctx context.Context, id string) (*safedesk.User, error) {
	u, err := scanUser(s.db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "User")
	}
	return u, nil
}

// FindUserByEmail returns ENOTFOUND when no user has the e-mail.
func (s *UserService) FindUserByEmail(ctx context.Context, email string) (*safedesk.User, error) {
	u, err := scanUser(s.db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.email = $1`,
		safedesk.NormalizeEmail(email)))
	if err != nil {
		return nil, notFound(err, "User")
	}
	return u, nil
}

// FindUsers returns the matching users ordered by name (pinyin for Chinese names, by the
// sort key the store keeps) and the total before paging.
func (s *UserService) FindUsers(ctx context.Context, f safedesk.UserFilter) ([]*safedesk.User, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.ID != nil {
		add("u.id = $%d", *f.ID)
	}
	if f.Email != nil {
		add("u.email = $%d", *f.Email)
	}
	if f.TeamID != nil {
		add("u.team_id = $%d", *f.TeamID)
	}
	if f.Role != nil {
		add("u.role = $%d", *f.Role)
	}
	if f.Active != nil {
		add("u.active = $%d", *f.Active)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+strings.ToLower(q)+"%")
		n := len(args)
		where = append(where, fmt.Sprintf("(LOWER(u.name) LIKE $%d OR u.email LIKE $%d OR LOWER(u.employee_no) LIKE $%d)", n, n, n))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users u WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users u LEFT JOIN teams t ON t.id = u.team_id
		WHERE `+cond+fmt.Sprintf(` ORDER BY u.name_key, u.email LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*safedesk.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// CreateUser returns ECONFLICT when the e-mail is taken, EINVALID on bad fields.
func (s *UserService) CreateUser(ctx context.Context, u *safedesk.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *Tx) error {
		if err := s.db.employeeNoFree(ctx, tx, u.EmployeeNo, ""); err != nil {
			return err
		}
		return s.createUser(ctx, tx, u)
	})
}

// employeeNoFree refuses an employee number that someone other than exceptID holds,
// compared as safedesk.EmployeeNoKey compares them. It runs inside the writing
// transaction, after lockEmployeeNumbers, so two people cannot take one number at once.
func (db *DB) employeeNoFree(ctx context.Context, tx *Tx, no, exceptID string) error {
	key := safedesk.EmployeeNoKey(no)
	if key == "" {
		return nil
	}
	if err := db.lockEmployeeNumbers(ctx, tx); err != nil {
		return err
	}
	taken := false
	err := eachEmployeeNo(ctx, tx, func(id, _, held string) bool {
		taken = id != exceptID && held == key
		return !taken
	})
	if err == nil && taken {
		err = safedesk.Localized(safedesk.ECONFLICT, "employee_no", "employee_no_taken", "Another person already has the employee number %s.", no)
	}
	return err
}

// eachEmployeeNo calls fn with the id, normalised e-mail and number key of everyone
// stored with an employee number, until fn returns false.
func eachEmployeeNo(ctx context.Context, tx *Tx, fn func(id, email, key string) bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, email, employee_no FROM users WHERE employee_no <> ''`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, email, no string
		if err := rows.Scan(&id, &email, &no); err != nil {
			return err
		}
		if !fn(id, safedesk.NormalizeEmail(email), safedesk.EmployeeNoKey(no)) {
			return nil
		}
	}
	return rows.Err()
}

func (s *UserService) createUser(ctx context.Context, tx *Tx, u *safedesk.User) error {
	if u.ID == "" {
		u.ID = safedesk.NewID()
	}
	now := s.db.now()
	u.CreatedAt, u.UpdatedAt = now, now
	_, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, employee_no, team_id, role, active, lang,
		password_hash, mfa_secret, mfa_enabled, created_at, updated_at, name_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		u.ID, u.Email, u.Name, u.EmployeeNo, nullable(u.TeamID), u.Role, u.Active, u.Lang,
		u.PasswordHash, u.MFASecret, u.MFAEnabled, ms(now), ms(now), nameKey(u.Name))
	if isUniqueViolation(err) {
		return safedesk.Localized(safedesk.ECONFLICT, "email", "email_taken", "A user with the e-mail %s already exists.", u.Email)
	}
	if err != nil {
		return err
	}
	return recordTx(ctx, tx, s.db, safedesk.AuditUserCreated, u.ID, map[string]any{"email": u.Email, "role": u.Role, "team_id": u.TeamID})
}

// UpdateUser returns ENOTFOUND, EINVALID.
func (s *UserService) UpdateUser(ctx context.Context, id string, upd safedesk.UserUpdate) (*safedesk.User, error) {
	u, err := s.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	changes, before := map[string]any{}, u.EmployeeNo
	if upd.Name != nil && *upd.Name != u.Name {
		u.Name, changes["name"] = *upd.Name, *upd.Name
	}
	if upd.EmployeeNo != nil && *upd.EmployeeNo != u.EmployeeNo {
		u.EmployeeNo, changes["employee_no"] = *upd.EmployeeNo, *upd.EmployeeNo
	}
	if upd.TeamID != nil && *upd.TeamID != u.TeamID {
		u.TeamID, changes["team_id"] = *upd.TeamID, *upd.TeamID
	}
	if upd.Role != nil && *upd.Role != u.Role {
		changes["role"] = map[string]string{"from": u.Role, "to": *upd.Role}
		u.Role = *upd.Role
	}
	if upd.Active != nil && *upd.Active != u.Active {
		u.Active, changes["active"] = *upd.Active, *upd.Active
	}
	if upd.Lang != nil {
		u.Lang = safedesk.NormalizeLang(*upd.Lang)
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	renumbered := safedesk.EmployeeNoKey(u.EmployeeNo) != safedesk.EmployeeNoKey(before)
	err = s.db.tx(ctx, func(tx *Tx) error {
		if renumbered {
			if err := s.db.employeeNoFree(ctx, tx, u.EmployeeNo, id); err != nil {
				return err
			}
		}
		u.UpdatedAt = s.db.now()
		res, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, employee_no = $2, team_id = $3, role = $4,
			active = $5, lang = $6, updated_at = $7, name_key = $8 WHERE id = $9`,
			u.Name, u.EmployeeNo, nullable(u.TeamID), u.Role, u.Active, u.Lang, ms(u.UpdatedAt), nameKey(u.Name), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return safedesk.Errorf(safedesk.ENOTFOUND, "User not found.")
		}
		if err := bumpIdentityEpoch(ctx, tx); err != nil {
			return err
		}
		if upd.Active != nil && !*upd.Active {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1`, id); err != nil {
				return err
			}
		}
		if len(changes) == 0 {
			return nil
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditUserUpdated, id, changes)
	})
	if err != nil {
		return nil, err
	}
	return s.FindUserByID(ctx, id)
}

// SetPassword stores a new password hash and signs the user out of other sessions.
func (s *UserService) SetPassword(ctx context.Context, id, hash string) error {
	return s.db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, ms(s.db.now()), id); err != nil {
			return err
		}
		if err := bumpIdentityEpoch(ctx, tx); err != nil {
			return err
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditPasswordChange, id, nil)
	})
}

// SetMFA stores the TOTP secret and whether it is enrolled.
func (s *UserService) SetMFA(ctx context.Context, id, secret string, enabled bool) error {
	return s.db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET mfa_secret = $1, mfa_enabled = $2, updated_at = $3 WHERE id = $4`,
			secret, enabled, ms(s.db.now()), id); err != nil {
			return err
		}
		if err := bumpIdentityEpoch(ctx, tx); err != nil {
			return err
		}
		if !enabled {
			return nil
		}
		return recordTx(ctx, tx, s.db, safedesk.AuditMFAEnrolled, id, nil)
	})
}

// FindTeams returns every team with its number of active members, ordered by name as
// people are (pinyin for Chinese names).
func (s *UserService) FindTeams(ctx context.Context) ([]*safedesk.Team, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT t.id, t.name, COUNT(u.id) FROM teams t
		LEFT JOIN users u ON u.team_id = t.id AND u.active = $1 GROUP BY t.id, t.name`, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*safedesk.Team
	for rows.Next() {
		var t safedesk.Team
		if err := rows.Scan(&t.ID, &t.Name, &t.Members); err != nil {
			return nil, err
		}
		out = append(out, &t)
	}
	sortByName(out, func(t *safedesk.Team) string { return t.Name })
	return out, rows.Err()
}

// CreateTeam returns ECONFLICT when the name is taken.
func (s *UserService) CreateTeam(ctx context.Context, name string) (*safedesk.Team, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > safedesk.MaxNameLen {
		return nil, safedesk.Localized(safedesk.EINVALID, "name", "team_name", "A team needs a name of at most %d characters.", safedesk.MaxNameLen)
	}
	t := &safedesk.Team{ID: safedesk.NewID(), Name: name}
	err := s.db.tx(ctx, func(tx *Tx) error { return s.createTeam(ctx, tx, t) })
	return t, err
}

func (s *UserService) createTeam(ctx context.Context, tx *Tx, t *safedesk.Team) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)`, t.ID, t.Name, ms(s.db.now()))
	if isUniqueViolation(err) {
		return safedesk.Localized(safedesk.ECONFLICT, "name", "team_taken", "A team named %s already exists.", t.Name)
	}
	if err != nil {
		return err
	}
	return recordTx(ctx, tx, s.db, safedesk.AuditTeamCreated, t.ID, map[string]string{"name": t.Name})
}

// FindTeamByName returns ENOTFOUND.
func (s *UserService) FindTeamByName(ctx context.Context, name string) (*safedesk.Team, error) {
	var t safedesk.Team
	err := s.db.read.QueryRowContext(ctx, `SELECT id, name FROM teams WHERE name = $1`, strings.TrimSpace(name)).Scan(&t.ID, &t.Name)
	if err != nil {
		return nil, notFound(err, "Team")
	}
	return &t, nil
}

// nullable stores "" as NULL, for optional foreign keys.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
