package jobs

import (
	"context"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"safedesk"
	"safedesk/content"
)

// CertArgs asks for one pass over the certificates: reminders before expiry with the
// renewal assignment, and recertification after a new major version of a course.
type CertArgs struct{}

// Kind names the job in the queue.
func (CertArgs) Kind() string { return "cert_lifecycle" }

// CertWorker runs the certificate passes. Each is idempotent, so running it twice or on
// two nodes reminds, assigns and marks once.
type CertWorker struct {
	river.WorkerDefaults[CertArgs]
	d Deps
}

// Work runs one pass.
func (w *CertWorker) Work(ctx context.Context, job *river.Job[CertArgs]) error {
	reminded, assigned, err := RemindExpiring(ctx, w.d)
	if err != nil {
		return err
	}
	marked, err := RecertifyUpgraded(ctx, w.d)
	if err != nil {
		return err
	}
	if reminded+assigned+marked > 0 {
		w.d.Logger.Info("certificate pass", "reminded", reminded, "renewals_assigned", assigned, "recertify_marked", marked)
	}
	return nil
}

// reminderDays returns the reminder threshold a certificate with left time to go has
// reached: the closest of CertReminderDays that left is within, or 0 for none.
func reminderDays(left time.Duration) int {
	days := 0
	for _, d := range safedesk.CertReminderDays {
		if left <= time.Duration(d)*24*time.Hour && (days == 0 || d < days) {
			days = d
		}
	}
	return days
}

// RemindExpiring reminds the holders of certificates that reach a reminder threshold (30,
// 14 and 7 days before expiry) and, when a certificate enters its last
// CertExpiringWithin, assigns its course again, due at the expiry. A holder reminded
// late (the server was down, or the certificate was short-lived) gets the closest
// threshold only, not every one missed. It returns how many reminders and assignments
// were new.
func RemindExpiring(ctx context.Context, d Deps) (reminded, assigned int, err error) {
	now := d.Clock.Now()
	window := safedesk.CertExpiringWithin
	for _, days := range safedesk.CertReminderDays {
		window = max(window, time.Duration(days)*24*time.Hour)
	}
	certs, err := d.Certificates.FindExpiringCertificates(ctx, now.Add(window))
	if err != nil {
		return 0, 0, err
	}
	for _, c := range certs {
		left := c.ExpiresAt.Sub(now)
		days := reminderDays(left)
		remindDue := days > 0 && (c.RemindedDays == 0 || days < c.RemindedDays)
		assignDue := left <= safedesk.CertExpiringWithin && c.RenewalAssignedAt.IsZero()
		if !remindDue && !assignDue {
			continue // the common case on every pass but the first at a threshold: no write
		}
		r, a, err := d.Certificates.RemindExpiry(ctx, c.Code, days)
		if err != nil {
			return reminded, assigned, err
		}
		if r {
			reminded++
		}
		if a {
			assigned++
		}
	}
	return reminded, assigned, nil
}

// RecertifyUpgraded runs RecertifyCourse for every live course and returns how many
// certificates it marked. It catches whatever the install hook missed: a certificate
// issued on the old version after the upgrade (an attempt started before it), or an
// upgrade whose hook failed or was installed by another node.
func RecertifyUpgraded(ctx context.Context, d Deps) (int, error) {
	live, err := d.Catalog.Live(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, p := range live {
		n, err := RecertifyCourse(ctx, d, p.Pack.ID)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// major returns the major number of a MAJOR.MINOR.PATCH version, as a version
// CompareVersions reads.
func major(v string) string { return strings.SplitN(v, ".", 2)[0] }

// RecertifyCourse asks the holders of the current certificates of a course that were
// issued on an older major version than the live one to recertify within RecertifyWithin
// of the day that major version was first installed; MarkRecertify notifies them. It is
// what content.Catalog.OnMajorUpgrade should call, and it is safe to call at any time: a
// certificate already marked keeps its date. It uses d.Courses, d.Certificates and
// d.RecertifyWithin (RecertifyWithin when zero).
func RecertifyCourse(ctx context.Context, d Deps, courseID string) (int, error) {
	versions, err := d.Courses.FindVersions(ctx, courseID)
	if err != nil {
		return 0, err
	}
	var live *safedesk.CourseVersion
	for _, v := range versions {
		if v.Live {
			live = v
		}
	}
	if live == nil {
		return 0, nil
	}
	first := live // the first installed version of the live major
	var older []string
	for _, v := range versions {
		switch cmp := content.CompareVersions(major(v.Version), major(live.Version)); {
		case cmp < 0:
			older = append(older, v.Version)
		case cmp == 0 && v.InstalledAt.Before(first.InstalledAt):
			first = v
		}
	}
	if len(older) == 0 {
		return 0, nil
	}
	within := d.RecertifyWithin
	if within <= 0 {
		within = safedesk.RecertifyWithin
	}
	marked, err := d.Certificates.MarkRecertify(ctx, safedesk.CertificateFilter{CourseID: courseID, CourseVersions: older},
		first.InstalledAt.Add(within), safedesk.MajorVersionReason(first.Version))
	return len(marked), err
}
