package safedesk

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Roles, from most to least privileged. A user has exactly one.
const (
	RoleAdmin   = "admin"
	RoleTrainer = "trainer"
	RoleAuditor = "auditor"
	RoleTrainee = "trainee"
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RoleTrainer, RoleAuditor, RoleTrainee}

// IsRole reports whether s names a role.
func IsRole(s string) bool {
	for _, r := range Roles {
		if r == s {
			return true
		}
	}
	return false
}

// MFARequired reports whether a role must enrol TOTP before using the system.
func MFARequired(role string) bool { return role == RoleAdmin || role == RoleTrainer }

// A User is a person who signs in: staff being trained, trainers, auditors, admins.
type User struct {
	ID         string    `json:"id"`
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	EmployeeNo string    `json:"employee_no"`
	TeamID     string    `json:"team_id,omitempty"`
	TeamName   string    `json:"team,omitempty"`
	Role       string    `json:"role"`
	Active     bool      `json:"active"`
	Lang       string    `json:"lang"`
	MFAEnabled bool      `json:"mfa_enabled"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`

	// PasswordHash and MFASecret never leave the server.
	PasswordHash string `json:"-"`
	MFASecret    string `json:"-"`
}

// Length limits on user fields.
const (
	MaxNameLen       = 100
	MaxEmailLen      = 254
	MaxEmployeeNoLen = 40
	MinPasswordLen   = 10
)

// NormalizeEmail lowercases and trims a login e-mail.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// EmployeeNoKey is what two employee numbers are compared by: without regard to case or
// surrounding space, since people type them both ways. An empty key is no number.
func EmployeeNoKey(no string) string { return strings.ToLower(strings.TrimSpace(no)) }

// Validate checks the fields a person entered.
func (u *User) Validate() error {
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	u.EmployeeNo = strings.TrimSpace(u.EmployeeNo)
	switch {
	case u.Name == "":
		return Localized(EINVALID, "name", "name_required", "Name is required.")
	case utf8.RuneCountInString(u.Name) > MaxNameLen:
		return Localized(EINVALID, "name", "name_long", "Name is longer than %d characters.", MaxNameLen)
	case u.Email == "":
		return Localized(EINVALID, "email", "email_required", "Login e-mail is required.")
	case len(u.Email) > MaxEmailLen || !validEmail(u.Email):
		return Localized(EINVALID, "email", "email_invalid", "%q is not a valid e-mail address.", u.Email)
	case utf8.RuneCountInString(u.EmployeeNo) > MaxEmployeeNoLen:
		return Localized(EINVALID, "employee_no", "employee_no_long", "Employee number is longer than %d characters.", MaxEmployeeNoLen)
	case !IsRole(u.Role):
		return Localized(EINVALID, "role", "role_invalid", "%q is not a role (admin, trainer, auditor, trainee).", u.Role)
	}
	if u.Lang == "" {
		u.Lang = DefaultLang
	}
	return nil
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.IndexByte(s, '@'):], ".")
}

// ValidatePassword checks a new password against the policy.
func ValidatePassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return Localized(EINVALID, "password", "password_short", "The password must have at least %d characters.", MinPasswordLen)
	}
	if len(pw) > 256 {
		return FieldError("password", "The password is too long.")
	}
	return nil
}

// A Team groups trainees, usually one shift or shop.
type Team struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Members int    `json:"members"`
}

// UserFilter selects users; nil fields do not filter.
type UserFilter struct {
	ID     *string
	Email  *string
	TeamID *string
	Role   *string
	Active *bool
	Query  string // matches name, e-mail or employee number
	Offset int
	Limit  int
}

// UserUpdate changes some fields of a user; nil fields stay as they are.
type UserUpdate struct {
	Name       *string
	EmployeeNo *string
	TeamID     *string // "" removes the team
	Role       *string
	Active     *bool
	Lang       *string
}

// UserService stores users and teams.
type UserService interface {
	// FindUserByID returns ENOTFOUND when there is no such user.
	FindUserByID(ctx context.Context, id string) (*User, error)
	// FindUserByEmail returns ENOTFOUND when no user has the e-mail.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// FindUsers returns the matching users and the total count before paging.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	// CreateUser returns ECONFLICT when the e-mail or the employee number is taken,
	// EINVALID on bad fields.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser returns ENOTFOUND, EINVALID, and ECONFLICT when the new employee number
	// belongs to someone else.
	UpdateUser(ctx context.Context, id string, upd UserUpdate) (*User, error)
	// SetPassword stores a new password hash.
	SetPassword(ctx context.Context, id, hash string) error
	// SetMFA stores the TOTP secret and whether it is enrolled.
	SetMFA(ctx context.Context, id, secret string, enabled bool) error
	// ImportUsers creates or updates all rows in one transaction, or none.
	ImportUsers(ctx context.Context, rows []ImportRow) (ImportResult, error)

	FindTeams(ctx context.Context) ([]*Team, error)
	// CreateTeam returns ECONFLICT when the name is taken.
	CreateTeam(ctx context.Context, name string) (*Team, error)
	// FindTeamByName returns ENOTFOUND.
	FindTeamByName(ctx context.Context, name string) (*Team, error)
}

// An ImportRow is one checked line of a staff CSV.
type ImportRow struct {
	Line       int
	Name       string
	Email      string
	Team       string
	Role       string
	EmployeeNo string
}

// ImportResult says what an import did.
type ImportResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// A RowError is one problem in one row of an imported file.
type RowError struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ImportError reports every bad row of an import that was refused as a whole.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("%d bad row(s); nothing was imported", len(e.Rows))
}
