-- +goose Up
-- People are listed in the order a reader of their names expects (pinyin for Chinese
-- names), which neither database gives by itself: the store keeps a collation key, and
-- fills it for rows written before this column existed when it opens.
ALTER TABLE users ADD COLUMN name_key BYTEA NOT NULL DEFAULT '\x';
CREATE INDEX users_name_key ON users(name_key, email);

-- +goose Down
DROP INDEX users_name_key;
ALTER TABLE users DROP COLUMN name_key;
