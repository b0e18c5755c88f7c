-- +goose Up
-- One counter that moves whenever anything a node may have cached about who a caller is
-- changes (a token revoked, a person deactivated, a role changed). Nodes poll it cheaply
-- and drop their cached identities when it moves.
CREATE TABLE identity_epoch (
    id INTEGER PRIMARY KEY,
    n  BIGINT NOT NULL
);
INSERT INTO identity_epoch (id, n) VALUES (1, 0);

-- +goose Down
DROP TABLE identity_epoch;
