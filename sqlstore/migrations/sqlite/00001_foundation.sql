-- +goose Up
CREATE TABLE teams (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    employee_no   TEXT NOT NULL DEFAULT '',
    team_id       TEXT REFERENCES teams(id),
    role          TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    lang          TEXT NOT NULL DEFAULT 'zh-CN',
    password_hash TEXT NOT NULL DEFAULT '',
    mfa_secret    TEXT NOT NULL DEFAULT '',
    mfa_enabled   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX users_team ON users(team_id);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    mfa_passed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    hash         TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE course_versions (
    id           TEXT PRIMARY KEY,
    course_id    TEXT NOT NULL,
    version      TEXT NOT NULL,
    checksum     TEXT NOT NULL,
    files        TEXT NOT NULL,
    installed_by TEXT NOT NULL,
    installed_at BIGINT NOT NULL,
    live         BOOLEAN NOT NULL,
    UNIQUE (course_id, version)
);

CREATE TABLE assignments (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL,
    team_id    TEXT REFERENCES teams(id),
    user_id    TEXT REFERENCES users(id),
    due_at     BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK ((team_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX assignments_team ON assignments(team_id);
CREATE INDEX assignments_user ON assignments(user_id);

CREATE TABLE lesson_progress (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id  TEXT NOT NULL,
    lesson_id  TEXT NOT NULL,
    done       BOOLEAN NOT NULL DEFAULT FALSE,
    position   INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, course_id, lesson_id)
);

CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    ref        TEXT NOT NULL,
    params     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    seen       BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (user_id, kind, ref)
);

CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor_id  TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    ip        TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_action ON audit_log(action);

-- The head of the audit chain: one row, updated under a row lock by each append so that
-- concurrent appends on several app nodes serialise.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- +goose Down
SELECT 'forward-only';
