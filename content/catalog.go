package content

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"safedesk"
)

// A LivePack is the live version of a course, parsed.
type LivePack struct {
	Version *safedesk.CourseVersion
	*safedesk.Pack
}

// Catalog serves the live version of every course from the store, parsing each version once
// and keeping it in memory. It checks which versions are live at most once per TTL, so that
// several app nodes pick up an installed pack within that time without any node-local state.
type Catalog struct {
	Courses safedesk.CourseService
	// Exams, when set, receives the exams of every pack installed, as exams people can sit.
	Exams safedesk.ExamService
	TTL   time.Duration
	Now   func() time.Time
	// OnMajorUpgrade, when set, is called after Install has made live a version of a course
	// whose major number is above that of the version live before (certificates of the
	// older version must be renewed). The install has committed by then; the hook reports
	// its own failures.
	OnMajorUpgrade func(ctx context.Context, courseID, oldVersion, newVersion string)

	mu      sync.Mutex
	parsed  map[string]*safedesk.Pack // by version id; versions never change once installed
	live    []*LivePack
	checked time.Time
}

// NewCatalog returns a catalog over the course service.
func NewCatalog(courses safedesk.CourseService) *Catalog {
	return &Catalog{Courses: courses, TTL: 5 * time.Second, Now: time.Now, parsed: map[string]*safedesk.Pack{}}
}

// Live returns the live packs, ordered by course id.
func (c *Catalog) Live(ctx context.Context) ([]*LivePack, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live != nil && c.Now().Sub(c.checked) < c.TTL {
		return c.live, nil
	}
	versions, err := c.Courses.FindLiveVersions(ctx)
	if err != nil {
		return nil, err
	}
	live := make([]*LivePack, 0, len(versions))
	for _, v := range versions {
		p, ok := c.parsed[v.ID]
		if !ok {
			full, err := c.Courses.FindVersionByID(ctx, v.ID)
			if err != nil {
				return nil, err
			}
			if p, err = Parse(full.Files); err != nil {
				return nil, err // a stored version was valid when installed; this is a real fault
			}
			c.parsed[v.ID] = p
		}
		live = append(live, &LivePack{Version: v, Pack: p})
	}
	sort.Slice(live, func(i, j int) bool { return live[i].Pack.ID < live[j].Pack.ID })
	c.live, c.checked = live, c.Now()
	return live, nil
}

// Course returns the live pack of a course; ENOTFOUND when there is none.
func (c *Catalog) Course(ctx context.Context, id string) (*LivePack, error) {
	live, err := c.Live(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range live {
		if p.Pack.ID == id {
			return p, nil
		}
	}
	return nil, safedesk.Errorf(safedesk.ENOTFOUND, "Course not found.")
}

// Invalidate makes the next call re-read which versions are live (after an install here).
func (c *Catalog) Invalidate() {
	c.mu.Lock()
	c.live = nil
	c.mu.Unlock()
}

// Install validates files as a pack and stores them as a new live version. A pack with
// problems returns *Error and changes nothing.
func (c *Catalog) Install(ctx context.Context, files map[string][]byte, by string) (*safedesk.CourseVersion, *safedesk.Pack, error) {
	p, err := Parse(files)
	if err != nil {
		return nil, nil, err
	}
	v := &safedesk.CourseVersion{CourseID: p.ID, Version: p.Version, Checksum: Checksum(files), InstalledBy: by, Files: files}
	old := ""
	if c.OnMajorUpgrade != nil {
		live, err := c.Courses.FindLiveVersions(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, lv := range live {
			if lv.CourseID == p.ID {
				old = lv.Version
			}
		}
	}
	if err := c.Courses.InstallVersion(ctx, v); err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	c.parsed[v.ID] = p
	c.live = nil
	c.mu.Unlock()
	if err := c.syncExams(ctx, p); err != nil {
		return nil, nil, err
	}
	if old != "" && CompareVersions(strings.SplitN(p.Version, ".", 2)[0], strings.SplitN(old, ".", 2)[0]) > 0 {
		c.OnMajorUpgrade(ctx, p.ID, old, p.Version)
	}
	return v, p, nil
}

// SyncExams makes sure every exam of every live pack exists as an exam people can sit,
// with the pack's current rules. It is idempotent; the server runs it at start-up.
func (c *Catalog) SyncExams(ctx context.Context) error {
	live, err := c.Live(ctx)
	if err != nil {
		return err
	}
	for _, p := range live {
		if err := c.syncExams(ctx, p.Pack); err != nil {
			return err
		}
	}
	return nil
}

func (c *Catalog) syncExams(ctx context.Context, p *safedesk.Pack) error {
	if c.Exams == nil {
		return nil
	}
	for _, spec := range p.Exams {
		if err := c.Exams.UpsertExam(ctx, safedesk.ExamFromSpec(p.ID, spec)); err != nil {
			return err
		}
	}
	return nil
}

// Checksum is a SHA-256 over the pack's paths and contents in path order.
func Checksum(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
		h.Write(files[n])
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CompareVersions compares two MAJOR.MINOR.PATCH versions: -1, 0 or 1.
func CompareVersions(a, b string) int {
	pa, pb := strings.SplitN(a, ".", 3), strings.SplitN(b, ".", 3)
	for i := 0; i < 3; i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	}
	return 0
}

// Version returns the parsed pack of any installed version, live or not (attempts keep the
// version they started on).
func (c *Catalog) Version(ctx context.Context, versionID string) (*safedesk.Pack, error) {
	c.mu.Lock()
	p, ok := c.parsed[versionID]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	full, err := c.Courses.FindVersionByID(ctx, versionID)
	if err != nil {
		return nil, err
	}
	if p, err = Parse(full.Files); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.parsed[versionID] = p
	c.mu.Unlock()
	return p, nil
}
