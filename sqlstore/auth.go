package sqlstore

import (
	"context"
	"strings"

	"safedesk"
)

// AuthService stores sessions and API tokens by the hash of their secret.
type AuthService struct{ db *DB }

// NewAuthService returns the auth service of db.
func NewAuthService(db *DB) *AuthService { return &AuthService{db: db} }

var _ safedesk.AuthService = (*AuthService)(nil)

// CreateSession stores a session.
func (s *AuthService) CreateSession(ctx context.Context, ss *safedesk.Session) error {
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO sessions (id, user_id, csrf, mfa_passed, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, ss.ID, ss.UserID, ss.CSRF, ss.MFAPassed, ms(ss.CreatedAt), ms(ss.ExpiresAt))
	return err
}

// FindSession returns ENOTFOUND for an unknown or expired session.
func (s *AuthService) FindSession(ctx context.Context, id string) (*safedesk.Session, error) {
	var ss safedesk.Session
	var created, expires int64
	err := s.db.read.QueryRowContext(ctx, `SELECT id, user_id, csrf, mfa_passed, created_at, expires_at FROM sessions
		WHERE id = $1 AND expires_at > $2`, id, ms(s.db.now())).Scan(&ss.ID, &ss.UserID, &ss.CSRF, &ss.MFAPassed, &created, &expires)
	if err != nil {
		return nil, notFound(err, "Session")
	}
	ss.CreatedAt, ss.ExpiresAt = fromMS(created), fromMS(expires)
	return &ss, nil
}

// MarkSessionMFA records that the session passed its second factor.
func (s *AuthService) MarkSessionMFA(ctx context.Context, id string) error {
	_, err := s.db.write.ExecContext(ctx, `UPDATE sessions SET mfa_passed = $1 WHERE id = $2`, true, id)
	return err
}

// DeleteSession signs one session out.
func (s *AuthService) DeleteSession(ctx context.Context, id string) error {
	_, err := s.db.write.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id)
	return err
}

// DeleteUserSessions signs a user out everywhere.
func (s *AuthService) DeleteUserSessions(ctx context.Context, userID string) error {
	_, err := s.db.write.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

// DeleteExpired removes expired sessions and tokens; a periodic job calls it.
func (s *AuthService) DeleteExpired(ctx context.Context) (int64, error) {
	now := ms(s.db.now())
	r1, err := s.db.write.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, err
	}
	r2, err := s.db.write.ExecContext(ctx, `DELETE FROM api_tokens WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, err
	}
	n1, _ := r1.RowsAffected()
	n2, _ := r2.RowsAffected()
	return n1 + n2, nil
}

// CreateToken stores a token under the hash of its secret.
func (s *AuthService) CreateToken(ctx context.Context, t *safedesk.Token, hash string) error {
	if t.ID == "" {
		t.ID = safedesk.NewID()
	}
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO api_tokens (id, hash, user_id, name, scopes, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, t.ID, hash, t.UserID, t.Name, strings.Join(t.Scopes, " "), ms(t.CreatedAt), ms(t.ExpiresAt))
	return err
}

// FindTokenByHash returns ENOTFOUND for an unknown or expired token.
func (s *AuthService) FindTokenByHash(ctx context.Context, hash string) (*safedesk.Token, error) {
	row := s.db.read.QueryRowContext(ctx, `SELECT id, user_id, name, scopes, created_at, expires_at FROM api_tokens
		WHERE hash = $1 AND expires_at > $2`, hash, ms(s.db.now()))
	t, err := scanToken(row)
	return t, notFound(err, "Token")
}

func scanToken(sc scanner) (*safedesk.Token, error) {
	var t safedesk.Token
	var scopes string
	var created, expires int64
	if err := sc.Scan(&t.ID, &t.UserID, &t.Name, &scopes, &created, &expires); err != nil {
		return nil, err
	}
	t.Scopes = strings.Fields(scopes)
	t.CreatedAt, t.ExpiresAt = fromMS(created), fromMS(expires)
	return &t, nil
}

// FindTokens lists a user's unexpired tokens.
func (s *AuthService) FindTokens(ctx context.Context, userID string) ([]*safedesk.Token, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, user_id, name, scopes, created_at, expires_at FROM api_tokens
		WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC`, userID, ms(s.db.now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*safedesk.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteToken revokes one of the user's tokens; ENOTFOUND when it is not theirs.
func (s *AuthService) DeleteToken(ctx context.Context, userID, id string) error {
	return s.db.tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = $1 AND user_id = $2`, id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return safedesk.Errorf(safedesk.ENOTFOUND, "Token not found.")
		}
		return bumpIdentityEpoch(ctx, tx)
	})
}

// IdentityEpoch returns the identity counter.
func (s *AuthService) IdentityEpoch(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.read.QueryRowContext(ctx, `SELECT n FROM identity_epoch WHERE id = 1`).Scan(&n)
	return n, err
}

// bumpIdentityEpoch moves the identity counter inside the transaction that changes an
// identity, so that no node can see the change without the counter having moved.
func bumpIdentityEpoch(ctx context.Context, tx *Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE identity_epoch SET n = n + 1 WHERE id = 1`)
	return err
}
