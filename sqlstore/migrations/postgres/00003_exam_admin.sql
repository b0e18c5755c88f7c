-- +goose Up
-- A person's extra time at one exam: the time limit is multiplied when an attempt starts.
CREATE TABLE exam_accommodations (
    exam_id    TEXT NOT NULL REFERENCES exams(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    multiplier DOUBLE PRECISION NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    set_by     TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (exam_id, user_id)
);

-- The review queue reads submitted attempts with answers waiting for review.
CREATE INDEX attempts_pending ON attempts(submitted_at) WHERE pending > 0;
-- Statistics and learning gain read every person's first attempt at an exam.
CREATE INDEX attempts_exam_number ON attempts(exam_id, number);

-- +goose Down
SELECT 'forward-only';
