package sqlstore

import (
	"maps"
	"slices"
	"sync"
	"time"

	"safedesk"
)

// hotFor is how long a node serves an exam definition or an exam's question usage from
// memory. At an exam's opening every start reads both; a second is long enough to spare the
// database thousands of identical reads and short enough that an edit made on another node,
// or another node's starts, are seen almost at once. Changes made on this node are seen
// at once.
const hotFor = time.Second

// examCache keeps recently read exams and question usage on this node.
type examCache struct {
	mu    sync.Mutex
	exams map[string]hotExam
	usage map[string]hotUsage
}

type hotExam struct {
	e  *safedesk.Exam
	at time.Time
}

// hotUsage is an exam's usage as read, plus the starts made here since. Its map is never
// changed once handed out: a start replaces it.
type hotUsage struct {
	uses map[string]int
	at   time.Time
}

func fresh(at, now time.Time) bool { return !now.Before(at) && now.Sub(at) < hotFor }

func (c *examCache) exam(id string, now time.Time) *safedesk.Exam {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.exams[id]; ok && fresh(h.at, now) {
		return cloneExam(h.e)
	}
	return nil
}

func (c *examCache) putExam(e *safedesk.Exam, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.exams == nil || len(c.exams) > 1000 {
		c.exams = map[string]hotExam{}
	}
	c.exams[e.ID] = hotExam{cloneExam(e), now}
}

// forgetExam drops an exam after a change made here.
func (c *examCache) forgetExam(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.exams, id)
	delete(c.usage, id)
}

// uses returns the exam's cached usage; the caller must not change it.
func (c *examCache) uses(examID string, now time.Time) map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.usage[examID]; ok && fresh(h.at, now) {
		return h.uses
	}
	return nil
}

func (c *examCache) putUses(examID string, uses map[string]int, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.usage == nil || len(c.usage) > 1000 {
		c.usage = map[string]hotUsage{}
	}
	c.usage[examID] = hotUsage{uses, now}
}

// used counts a paper started here into the cached usage, so that the next paper drawn on
// this node within the second already steers around it.
func (c *examCache) used(examID string, questionIDs []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.usage[examID]
	if !ok {
		return
	}
	uses := maps.Clone(h.uses)
	for _, id := range questionIDs {
		uses[id]++
	}
	c.usage[examID] = hotUsage{uses, h.at}
}

// cloneExam copies an exam deeply enough that a caller changing its copy changes nothing
// cached.
func cloneExam(e *safedesk.Exam) *safedesk.Exam {
	c := *e
	c.Title = maps.Clone(e.Title)
	c.Blueprint = slices.Clone(e.Blueprint)
	for i := range c.Blueprint {
		c.Blueprint[i].Difficulty = slices.Clone(c.Blueprint[i].Difficulty)
		c.Blueprint[i].Tags = slices.Clone(c.Blueprint[i].Tags)
	}
	return &c
}
