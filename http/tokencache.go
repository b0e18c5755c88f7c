package http

import (
	"sync"
	"time"
)

// tokenTTL is how long a node trusts a token it has looked up. A revoked token or a
// deactivated person is refused by every node within this time; in exchange an API request
// costs no database read for its caller on exam day.
const tokenTTL = 5 * time.Second

// tokenCache remembers resolved bearer tokens for tokenTTL.
type tokenCache struct {
	mu    sync.Mutex
	m     map[string]tokenEntry
	swept time.Time
}

type tokenEntry struct {
	id      *identity
	expires time.Time
}

func (c *tokenCache) get(hash string, now time.Time) *identity {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || !now.Before(e.expires) || !now.Before(e.id.token.ExpiresAt) {
		return nil
	}
	return e.id
}

func (c *tokenCache) put(hash string, id *identity, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]tokenEntry{}
	}
	if now.Sub(c.swept) > time.Minute {
		for k, e := range c.m {
			if !now.Before(e.expires) {
				delete(c.m, k)
			}
		}
		c.swept = now
	}
	c.m[hash] = tokenEntry{id: id, expires: now.Add(tokenTTL)}
}

// forget drops every cached token of a user (after deactivation or a token is revoked here).
func (c *tokenCache) forget(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if e.id.user.ID == userID {
			delete(c.m, k)
		}
	}
}
