-- +goose Up
CREATE TABLE drill_runs (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    course_id   TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    version_id  TEXT NOT NULL,
    lang        TEXT NOT NULL,
    state       TEXT NOT NULL,
    done        BOOLEAN NOT NULL DEFAULT FALSE,
    passed      BOOLEAN NOT NULL DEFAULT FALSE,
    score       INTEGER NOT NULL DEFAULT 0,
    uncertain   INTEGER NOT NULL DEFAULT 0,
    started_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX drill_runs_user ON drill_runs(user_id, started_at);
CREATE INDEX drill_runs_review ON drill_runs(uncertain, done);

-- +goose Down
SELECT 'forward-only';
