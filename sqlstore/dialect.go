package sqlstore

// forUpdate locks the selected rows until the transaction ends. SQLite needs no clause:
// its write transactions start IMMEDIATE and already exclude other writers.
func (db *DB) forUpdate() string {
	if db.Dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}
