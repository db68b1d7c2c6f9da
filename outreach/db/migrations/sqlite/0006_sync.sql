-- Sync: field records with the server sequence number of their last change, the mutations
-- that made them (kept forever, so a replay returns its first result), values overwritten
-- by later writers and mutations parked as rejected (both for coordinators to review),
-- photos, and what each device reports about itself.

-- one row: this server's identity (a phone's cursor from another server forces a full pull)
-- and the last sequence number handed out; every write takes it under the write lock, so
-- numbers follow commit order
CREATE TABLE sync_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    server_id   TEXT NOT NULL,
    last_seq    INTEGER NOT NULL,
    purged_seq  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_state (id, server_id, last_seq) VALUES (1, lower(hex(randomblob(16))), 0);

CREATE TABLE sync_records (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('meeting', 'followup', 'village_position')),
    team_id     INTEGER NOT NULL REFERENCES teams (id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    seq         INTEGER NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    doc         TEXT NOT NULL,
    writers     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX sync_records_team_seq ON sync_records (team_id, seq);
CREATE INDEX sync_records_kind ON sync_records (kind, deleted);

CREATE TABLE sync_mutations (
    mutation_id     TEXT PRIMARY KEY,
    device_id       INTEGER NOT NULL REFERENCES devices (id),
    record_id       TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,
    result          TEXT NOT NULL,
    received_at     TEXT NOT NULL
);
CREATE INDEX sync_mutations_record ON sync_mutations (record_id);

CREATE TABLE sync_overwrites (
    id           INTEGER PRIMARY KEY,
    record_id    TEXT NOT NULL,
    field        TEXT NOT NULL,
    value        TEXT NOT NULL,
    writer       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    mutation_id  TEXT NOT NULL,
    by_writer    TEXT NOT NULL,
    at           TEXT NOT NULL,
    resolved_at  TEXT,
    resolved_by  TEXT
);
CREATE INDEX sync_overwrites_open ON sync_overwrites (resolved_at, id);

CREATE TABLE sync_parked (
    id           INTEGER PRIMARY KEY,
    mutation_id  TEXT,
    device_id    INTEGER NOT NULL REFERENCES devices (id),
    reason       TEXT NOT NULL,
    message      TEXT NOT NULL,
    content      TEXT NOT NULL,
    at           TEXT NOT NULL,
    resolved_at  TEXT,
    resolved_by  TEXT
);
CREATE INDEX sync_parked_open ON sync_parked (resolved_at, id);

-- photos, content-addressed; an upload in progress keeps the bytes received so far
CREATE TABLE photos (
    sha256       TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    media_type   TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    data         BLOB NOT NULL,
    device_id    INTEGER REFERENCES devices (id),
    created_at   TEXT NOT NULL
);
CREATE TABLE photo_uploads (
    sha256       TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    device_id    INTEGER NOT NULL REFERENCES devices (id),
    total_bytes  INTEGER NOT NULL,
    data         BLOB NOT NULL,
    updated_at   TEXT NOT NULL
);

ALTER TABLE devices ADD COLUMN last_sync_at TEXT;
ALTER TABLE devices ADD COLUMN pending_count INTEGER;
ALTER TABLE devices ADD COLUMN app_version TEXT;
ALTER TABLE devices ADD COLUMN clock_offset_s REAL;
