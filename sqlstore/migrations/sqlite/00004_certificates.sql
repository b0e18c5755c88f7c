-- +goose Up
-- The register's view of a certificate, beside the signed payload: the date by which its
-- holder must recertify (and why), the closest expiry reminder sent (days before expiry),
-- and when its course was assigned again for renewal.
ALTER TABLE certificates ADD COLUMN recertify_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD COLUMN recertify_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN reminded_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD COLUMN renewal_assigned_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX certificates_expiry ON certificates(expires_at);
CREATE INDEX certificates_holder_course ON certificates(user_id, course_id, issued_at);

-- +goose Down
SELECT 'forward-only';
