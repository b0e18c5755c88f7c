package sqlstore

// forUpdate locks the selected rows until the transaction ends. SQLite needs no clause:
// its write transactions start IMMEDIATE and already exclude other writers.
func (db *DB) forUpdate() string {
	if db.Dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// forUpdateOf locks the rows of one table of a join (PostgreSQL refuses FOR UPDATE on the
// nullable side of an outer join).
func (db *DB) forUpdateOf(table string) string {
	if db.Dialect == Postgres {
		return " FOR UPDATE OF " + table
	}
	return ""
}
