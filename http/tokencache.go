package http

import (
	"context"
	"sync"
	"time"
)

// A node trusts a bearer token it has looked up for up to tokenTTL, but only while the
// store's identity epoch (a counter moved by every revocation, deactivation, role,
// password or MFA change) stays where it was. The node reads the epoch at most every
// epochEvery, so a change made on any node is honoured everywhere within about that
// time, while an API caller on exam day costs one small read per node per epochEvery
// instead of two reads per request.
const (
	tokenTTL   = 10 * time.Minute
	epochEvery = 250 * time.Millisecond
)

// tokenCache remembers resolved bearer tokens.
type tokenCache struct {
	mu    sync.Mutex
	m     map[string]tokenEntry
	swept time.Time

	epoch    int64     // the identity epoch the cached entries belong to
	checked  time.Time // when the epoch was last read
	checking bool      // a request is reading it now
}

type tokenEntry struct {
	id      *identity
	epoch   int64
	expires time.Time
}

// refresh reads the identity epoch when it is due, dropping every cached identity when it
// has moved. Only one request at a time reads it; the others go on meanwhile. When the
// store cannot be read the cache is emptied, so that nothing stale is served in the dark.
func (c *tokenCache) refresh(ctx context.Context, now time.Time, read func(context.Context) (int64, error)) {
	c.mu.Lock()
	due := !c.checking && (c.checked.IsZero() || now.Sub(c.checked) >= epochEvery || now.Before(c.checked))
	if due {
		c.checking = true
	}
	c.mu.Unlock()
	if !due {
		return
	}
	n, err := read(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checking = false
	if err != nil {
		c.m, c.checked = nil, time.Time{}
		return
	}
	if n != c.epoch {
		c.m, c.epoch = nil, n
	}
	c.checked = now
}

// get returns the identity cached for a token hash and the epoch the caller should tag a
// fresh lookup with when there is none.
func (c *tokenCache) get(hash string, now time.Time) (*identity, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || e.epoch != c.epoch || c.checked.IsZero() || !now.Before(e.expires) || !now.Before(e.id.token.ExpiresAt) {
		return nil, c.epoch
	}
	return e.id, c.epoch
}

// put caches a lookup made while epoch was current. A lookup that raced with a change the
// node has since learned of is not kept.
func (c *tokenCache) put(hash string, id *identity, epoch int64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch || c.checked.IsZero() {
		return
	}
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
	c.m[hash] = tokenEntry{id: id, epoch: epoch, expires: now.Add(tokenTTL)}
}

// forget drops every cached token of a user at once on this node (after a change made
// here); other nodes learn of it through the epoch.
func (c *tokenCache) forget(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if e.id.user.ID == userID {
			delete(c.m, k)
		}
	}
}
