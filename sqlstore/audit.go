package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"safedesk"
)

// AuditService appends to and verifies the hash-chained audit log.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ safedesk.AuditService = (*AuditService)(nil)

// Record appends an entry for the actor in ctx in its own transaction.
func (s *AuditService) Record(ctx context.Context, action, target string, detail any) error {
	return s.db.tx(ctx, func(tx *Tx) error { return recordTx(ctx, tx, s.db, action, target, detail) })
}

// recordTx appends an entry inside tx, so that the change it describes and its record
// commit together. The head row is locked for the rest of the transaction, which orders
// appends from every app node.
func recordTx(ctx context.Context, tx *Tx, db *DB, action, target string, detail any) error {
	return recordManyTx(ctx, tx, db, []auditRecord{{safedesk.ActorFrom(ctx), action, target, detail}})
}

// auditRecord is one entry to append, with who made it.
type auditRecord struct {
	actor          safedesk.Actor
	action, target string
	detail         any
}

// recordManyTx appends entries in order inside tx with one read of the head, one insert
// and one update of the head, for writes that commit many changes together.
func recordManyTx(ctx context.Context, tx *Tx, db *DB, recs []auditRecord) error {
	if len(recs) == 0 {
		return nil
	}
	var seq int64
	var prev string
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+db.forUpdate()).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	now := db.now()
	args := make([]any, 0, 10*len(recs))
	values := make([]string, 0, len(recs))
	for _, r := range recs {
		d := ""
		if r.detail != nil {
			b, err := json.Marshal(r.detail)
			if err != nil {
				return err
			}
			d = string(b)
		}
		seq++
		e := &safedesk.AuditEntry{Seq: seq, At: now, ActorID: r.actor.UserID, Actor: r.actor.Email, Action: r.action,
			Target: r.target, Detail: d, IP: r.actor.IP, PrevHash: prev}
		if e.Actor == "" && e.ActorID == "" {
			e.Actor = "system"
		}
		e.Hash = auditHash(e)
		prev = e.Hash
		n := len(args)
		values = append(values, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)",
			n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10))
		args = append(args, e.Seq, ms(e.At), e.ActorID, e.Actor, e.Action, e.Target, e.Detail, e.IP, e.PrevHash, e.Hash)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor, action, target, detail, ip, prev_hash, hash)
		VALUES `+strings.Join(values, ", "), args...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq, prev)
	return err
}

// auditHash is SHA-256 over an unambiguous encoding of every field and the previous hash.
func auditHash(e *safedesk.AuditEntry) string {
	b, _ := json.Marshal([]string{e.PrevHash, strconv.FormatInt(e.Seq, 10), strconv.FormatInt(ms(e.At), 10),
		e.ActorID, e.Actor, e.Action, e.Target, e.Detail, e.IP})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// FindAudit returns entries newest first.
func (s *AuditService) FindAudit(ctx context.Context, f safedesk.AuditFilter) ([]*safedesk.AuditEntry, int, error) {
	where, args := "1 = 1", []any{}
	if f.Action != "" {
		where, args = "action = $1", append(args, f.Action)
	}
	var total int
	if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.db.read.QueryContext(ctx, `SELECT seq, at, actor_id, actor, action, target, detail, ip, prev_hash, hash
		FROM audit_log WHERE `+where+fmt.Sprintf(` ORDER BY seq DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*safedesk.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

func scanAudit(s scanner) (*safedesk.AuditEntry, error) {
	var e safedesk.AuditEntry
	var at int64
	if err := s.Scan(&e.Seq, &at, &e.ActorID, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.IP, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At = fromMS(at)
	return &e, nil
}

// VerifyAudit walks the chain in order. A row edited, inserted or removed anywhere, or the
// newest rows cut off, is found: the first broken seq and the reason are returned.
func (s *AuditService) VerifyAudit(ctx context.Context) (int64, string, int64, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT seq, at, actor_id, actor, action, target, detail, ip, prev_hash, hash
		FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, "", 0, err
	}
	defer rows.Close()
	var prevSeq int64
	prevHash := ""
	var checked int64
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return 0, "", checked, err
		}
		switch {
		case e.Seq != prevSeq+1:
			return prevSeq + 1, fmt.Sprintf("entry %d is missing (next entry is %d)", prevSeq+1, e.Seq), checked, nil
		case e.PrevHash != prevHash:
			return e.Seq, "its link to the previous entry does not match (an entry before it was changed or removed)", checked, nil
		case auditHash(e) != e.Hash:
			return e.Seq, "its content does not match its hash (the entry was edited)", checked, nil
		}
		prevSeq, prevHash = e.Seq, e.Hash
		checked++
	}
	if err := rows.Err(); err != nil {
		return 0, "", checked, err
	}
	var headSeq int64
	var headHash string
	if err := s.db.read.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return 0, "", checked, err
	}
	if headSeq != prevSeq || headHash != prevHash {
		return prevSeq + 1, fmt.Sprintf("the log ends at entry %d but %d entries were written (entries were removed from the end)", prevSeq, headSeq), checked, nil
	}
	return 0, "", checked, nil
}
