-- Field devices: one-time enrolment codes and the device tokens they are exchanged for.
-- Codes and tokens are stored only as SHA-256.

CREATE TABLE enrolment_codes (
    id           INTEGER PRIMARY KEY,
    code_sha256  TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    issued_by    INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);

CREATE TABLE devices (
    id            INTEGER PRIMARY KEY,
    token_sha256  TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    label         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT
);
CREATE INDEX devices_user ON devices (user_id);
