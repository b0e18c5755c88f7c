package safedesk

import (
	"context"
	"time"
)

// A Session is a signed-in browser. The cookie holds a random secret; the store keeps only
// its hash.
type Session struct {
	ID        string // hash of the cookie secret
	UserID    string
	CSRF      string
	MFAPassed bool
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Token scopes.
const (
	ScopeAPI     = "api"     // everything the user's role allows
	ScopeCheck   = "check"   // only the live risk check
	ScopeMetrics = "metrics" // only /metrics, for a Prometheus scraper
)

// A Token is an API bearer token; the store keeps only its hash.
type Token struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	Scopes    []string  `json:"scopes"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// HasScope reports whether the token carries scope s.
func (t *Token) HasScope(s string) bool {
	for _, v := range t.Scopes {
		if v == s {
			return true
		}
	}
	return false
}

// AuthService stores sessions and API tokens.
type AuthService interface {
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns ENOTFOUND for an unknown or expired session.
	FindSession(ctx context.Context, id string) (*Session, error)
	MarkSessionMFA(ctx context.Context, id string) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions signs a user out everywhere (after deactivation or a password change).
	DeleteUserSessions(ctx context.Context, userID string) error

	CreateToken(ctx context.Context, t *Token, hash string) error
	// FindTokenByHash returns ENOTFOUND for an unknown or expired token.
	FindTokenByHash(ctx context.Context, hash string) (*Token, error)
	FindTokens(ctx context.Context, userID string) ([]*Token, error)
	DeleteToken(ctx context.Context, userID, id string) error
	// IdentityEpoch is a counter that moves with every change that could make a cached
	// identity wrong: a token revoked, a person deactivated or changed, a password or
	// MFA change. Nodes that cache identities drop them when it moves.
	IdentityEpoch(ctx context.Context) (int64, error)
}

// An Actor is who is acting, for the audit log and permission checks.
type Actor struct {
	UserID string
	Email  string
	Role   string
	IP     string
}

type actorKey struct{}

// WithActor returns a context that carries the acting person.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx, or a zero Actor for the system itself.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}
