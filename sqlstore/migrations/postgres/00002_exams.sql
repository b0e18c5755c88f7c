-- +goose Up
CREATE TABLE exams (
    id              TEXT PRIMARY KEY,
    course_id       TEXT NOT NULL,
    spec_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    blueprint       TEXT NOT NULL,
    pass_mark       INTEGER NOT NULL,
    time_limit_s    INTEGER NOT NULL,
    attempts        INTEGER NOT NULL,
    cooldown_s      INTEGER NOT NULL,
    opens_at        BIGINT NOT NULL,
    closes_at       BIGINT NOT NULL,
    shuffle_options BOOLEAN NOT NULL,
    review          TEXT NOT NULL,
    multiple_choice TEXT NOT NULL,
    validity_months INTEGER NOT NULL,
    required_drills INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX exams_course ON exams(course_id);

CREATE TABLE attempts (
    id           TEXT PRIMARY KEY,
    exam_id      TEXT NOT NULL REFERENCES exams(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    version_id   TEXT NOT NULL,
    number       INTEGER NOT NULL,
    paper        TEXT NOT NULL,
    lang         TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    deadline     BIGINT NOT NULL,
    submitted_at BIGINT NOT NULL DEFAULT 0,
    auto_submit  BOOLEAN NOT NULL DEFAULT FALSE,
    score        DOUBLE PRECISION NOT NULL DEFAULT 0,
    passed       BOOLEAN NOT NULL DEFAULT FALSE,
    pending      INTEGER NOT NULL DEFAULT 0,
    results      TEXT NOT NULL DEFAULT '',
    UNIQUE (exam_id, user_id, number)
);
CREATE INDEX attempts_open ON attempts(submitted_at, deadline);
CREATE INDEX attempts_user ON attempts(user_id, exam_id);

CREATE TABLE answers (
    attempt_id  TEXT NOT NULL REFERENCES attempts(id),
    question_id TEXT NOT NULL,
    response    TEXT NOT NULL,
    saved_at    BIGINT NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);

CREATE TABLE question_usage (
    exam_id     TEXT NOT NULL,
    question_id TEXT NOT NULL,
    uses        INTEGER NOT NULL,
    PRIMARY KEY (exam_id, question_id)
);

CREATE TABLE certificates (
    code           TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id),
    holder         TEXT NOT NULL,
    course_id      TEXT NOT NULL,
    course_title   TEXT NOT NULL,
    course_version TEXT NOT NULL,
    exam_id        TEXT NOT NULL,
    attempt_id     TEXT NOT NULL UNIQUE,
    issued_at      BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    key_id         TEXT NOT NULL,
    payload        TEXT NOT NULL,
    signature      TEXT NOT NULL,
    revoked_at     BIGINT NOT NULL DEFAULT 0,
    revoke_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_user ON certificates(user_id);
CREATE INDEX certificates_course ON certificates(course_id, expires_at);

-- +goose Down
SELECT 'forward-only';
