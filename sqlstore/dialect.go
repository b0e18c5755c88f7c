package sqlstore

import "context"

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

// employeeNumbersLock names the PostgreSQL advisory lock held by transactions that give
// out employee numbers ("SDEN").
const employeeNumbersLock = 0x5344454e

// lockEmployeeNumbers makes the transactions that check an employee number and then
// store it take turns, so two of them cannot both find a number free and both take it.
// On PostgreSQL each sees only what was committed when its statement began, and a
// number is not a key the database could hold unique by itself (numbers are compared
// without regard to case or space). The lock ends with the transaction. SQLite's write
// transactions already take turns.
func (db *DB) lockEmployeeNumbers(ctx context.Context, tx *Tx) error {
	if db.Dialect != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, employeeNumbersLock)
	return err
}
