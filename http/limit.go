package http

import (
	"math"
	"sync"
	"time"

	"safedesk"
)

// bucket is a token bucket: it holds up to burst tokens and refills at rate per second.
type bucket struct {
	tokens float64
	last   time.Time
}

// limiter keeps one bucket per key (an IP address or a login). It lives in one process:
// with several app nodes each enforces its own share, which still caps guessing per node.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[string]*bucket
	clock   safedesk.Clock
	swept   time.Time
}

func newLimiter(clock safedesk.Clock, perMinute, burst int) *limiter {
	return &limiter{rate: float64(perMinute) / 60, burst: float64(burst), buckets: map[string]*bucket{}, clock: clock}
}

// allow takes a token for key; when none is left it returns how long until one is.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if now.Sub(l.swept) > time.Minute {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// sweep drops buckets that have refilled completely, so memory stays bounded by the number
// of recently active keys.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	l.swept = now
}

// limiters are the server's rate limits.
type limiters struct {
	loginIP    *limiter // failed sign-ins per address
	loginFails *limiter // failed sign-ins per account
	check      *limiter // risk checks per user
	verify     *limiter // public certificate checks per address
}

func newLimiters(clock safedesk.Clock) *limiters {
	return &limiters{
		loginIP:    newLimiter(clock, 60, 100),
		loginFails: newLimiter(clock, 5, 10),
		check:      newLimiter(clock, 120000, 10000), // a chat system checks a whole shop's messages

		verify: newLimiter(clock, 30, 30),
	}
}

// rateLimited is the error for a refused request; the handler sets Retry-After.
func rateLimited(wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	return safedesk.Localized(safedesk.ERATELIMIT, "", "rate_limited", "Too many attempts. Try again in %d seconds.", max(secs, 1))
}

// blocked reports, without taking a token, whether key has none left.
func (l *limiter) blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return false, 0
	}
	tokens := math.Min(l.burst, b.tokens+l.clock.Now().Sub(b.last).Seconds()*l.rate)
	if tokens >= 1 {
		return false, 0
	}
	return true, time.Duration((1 - tokens) / l.rate * float64(time.Second))
}
