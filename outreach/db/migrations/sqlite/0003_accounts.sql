-- Accounts: teams, users and their roles, team membership history, and the audit log.

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    created_at  TEXT NOT NULL
);
-- the Chamber's default: three field teams
INSERT INTO teams (name, created_at) VALUES
    ('team-1', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ('team-2', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ('team-3', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(login) BETWEEN 3 AND 64),
    display_name   TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role           TEXT NOT NULL CHECK (role IN ('field', 'coordinator', 'leadership', 'admin')),
    password_hash  TEXT CHECK (password_hash LIKE '$argon2id$%'),
    disabled_at    TEXT,
    created_at     TEXT NOT NULL
);

-- a user belongs to one team at a time; past memberships are kept
CREATE TABLE team_memberships (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    team_id    INTEGER NOT NULL REFERENCES teams (id),
    joined_at  TEXT NOT NULL,
    left_at    TEXT
);
CREATE UNIQUE INDEX team_memberships_current ON team_memberships (user_id) WHERE left_at IS NULL;

-- who did what, when, from where; never names, phones or tokens. Append-only.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    object   TEXT,
    client   TEXT,
    outcome  TEXT NOT NULL DEFAULT 'ok'
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
