package sqlstore

import (
	"context"

	"safedesk"
)

// InsertCertificate stores c as an issued certificate, for tests that need certificates in
// given states without sitting exams. It exists only in this package's tests.
func InsertCertificate(ctx context.Context, db *DB, c *safedesk.Certificate) error {
	return db.tx(ctx, func(tx *Tx) error { return insertCertificate(ctx, tx, c) })
}
