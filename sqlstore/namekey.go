package sqlstore

import (
	"context"
	"slices"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Names are ordered as in a Chinese directory: Latin names first, then Chinese names by
// pinyin (安, 白, 陈 … 张), which is what a reader expects and what neither database's
// own ordering gives. A collator is not safe for concurrent use, hence the pool.
var collators = sync.Pool{New: func() any { return collate.New(language.Chinese) }}

// nameKey is the sort key of a name; keys compare byte by byte in both databases.
func nameKey(name string) []byte {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	return slices.Clone(c.KeyFromString(&buf, name))
}

// sortByName sorts a list in memory in the order the keys give, with one collator for
// the whole sort.
func sortByName[T any](items []T, name func(T) string) {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	slices.SortFunc(items, func(a, b T) int { return c.CompareString(name(a), name(b)) })
}

// fillNameKeys gives a sort key to every person stored before keys were kept (or by an
// older version). It runs when the store opens; once done, it finds nothing to do.
func (db *DB) fillNameKeys(ctx context.Context) error {
	type row struct{ id, name string }
	var todo []row
	rows, err := db.write.QueryContext(ctx, `SELECT id, name FROM users WHERE name_key = $1`, []byte{})
	if err != nil {
		return err
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(todo) == 0 {
		return err
	}
	return db.tx(ctx, func(tx *Tx) error {
		for _, r := range todo {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET name_key = $1 WHERE id = $2`, nameKey(r.name), r.id); err != nil {
				return err
			}
		}
		return nil
	})
}
