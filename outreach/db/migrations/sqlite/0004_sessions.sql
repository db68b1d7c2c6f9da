-- Web sessions (tokens stored only as SHA-256) and failed sign-ins, for throttling.

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    token_sha256  TEXT NOT NULL UNIQUE,
    csrf_token    TEXT NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    ended_at      TEXT
);

CREATE TABLE sign_in_failures (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    login   TEXT NOT NULL COLLATE NOCASE,
    client  TEXT NOT NULL
);
CREATE INDEX sign_in_failures_client ON sign_in_failures (client, at);
CREATE INDEX sign_in_failures_login ON sign_in_failures (login, client, at);
