-- Residents: a person met at meetings (not a line in one meeting record), matched across
-- meetings and teams, with every stage they reached in the funnel (docs/followup.md).
-- Names and phone numbers live only in `residents` (and in the meeting records they came from);
-- an erased resident keeps its row, its counts and its history, with both gone.

-- one row: the last sync sequence number absorbed into the registry, and a version that moves
-- with every change of the registry (coverage is cached by it)
CREATE TABLE registry_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    absorbed_seq  INTEGER NOT NULL,
    version       INTEGER NOT NULL
);
INSERT INTO registry_state (id, absorbed_seq, version) VALUES (1, 0, 0);
-- the registry reads the records changed since it last looked, by sequence number
CREATE INDEX sync_records_seq ON sync_records (seq);

CREATE TABLE resident_imports (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    by_actor     TEXT NOT NULL,
    filename     TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    programme    TEXT,
    row_count    INTEGER NOT NULL,
    exact        INTEGER NOT NULL,
    probable     INTEGER NOT NULL,
    new          INTEGER NOT NULL,
    conflicting  INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('applied', 'undone')),
    undone_at    TEXT,
    undone_by    TEXT
);

CREATE TABLE residents (
    id               INTEGER PRIMARY KEY,
    name             TEXT,
    name_key         TEXT,
    phone            TEXT,
    village          TEXT,
    district         TEXT,
    merged_into      INTEGER REFERENCES residents (id),
    stage            TEXT NOT NULL DEFAULT 'new',
    dropped          INTEGER NOT NULL DEFAULT 0 CHECK (dropped IN (0, 1)),
    dropped_reason   TEXT,
    programme        TEXT,
    requested_tenge  INTEGER,
    financed_tenge   INTEGER,
    funding_source   TEXT,
    next_contact     TEXT,
    last_contact     TEXT,
    import_id        INTEGER REFERENCES resident_imports (id),
    created_at       TEXT NOT NULL,
    erased_at        TEXT
);
CREATE INDEX residents_phone ON residents (phone) WHERE merged_into IS NULL;
CREATE INDEX residents_name ON residents (name_key, village) WHERE merged_into IS NULL;
-- namesakes without a phone: the only ones a line with a phone may be proposed beside
CREATE INDEX residents_bare_name ON residents (name_key, village)
    WHERE merged_into IS NULL AND phone IS NULL;
CREATE INDEX residents_merged ON residents (merged_into) WHERE merged_into IS NOT NULL;

-- a resident listed at a meeting (an `interested` item of a meeting record)
CREATE TABLE resident_sightings (
    meeting_id   TEXT NOT NULL,
    item_id      TEXT NOT NULL,
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    resident_id  INTEGER NOT NULL REFERENCES residents (id),
    origin       INTEGER NOT NULL REFERENCES residents (id),
    met_on       TEXT NOT NULL,
    village      TEXT,
    programme    TEXT,
    PRIMARY KEY (meeting_id, item_id)
);
CREATE INDEX resident_sightings_resident ON resident_sightings (resident_id);
CREATE INDEX resident_sightings_item ON resident_sightings (team_id, item_id);

-- every line of a resident's history; `origin` is the resident it was first recorded on, so a
-- split gives a merged resident back everything that was its own
CREATE TABLE resident_events (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents (id),
    origin          INTEGER NOT NULL REFERENCES residents (id),
    at              TEXT NOT NULL,
    on_date         TEXT,
    by_actor        TEXT NOT NULL,
    kind            TEXT NOT NULL
                    CHECK (kind IN ('stage', 'contact', 'merged', 'split', 'erased', 'created')),
    stage           TEXT,
    via             TEXT,
    amount_tenge    INTEGER,
    funding_source  TEXT,
    reason          TEXT,
    note            TEXT,
    next_contact    TEXT,
    programme       TEXT,
    other           INTEGER,
    source          TEXT UNIQUE,
    import_id       INTEGER REFERENCES resident_imports (id)
);
CREATE INDEX resident_events_resident ON resident_events (resident_id, id);
CREATE INDEX resident_events_import ON resident_events (import_id);

-- doubtful matches for a coordinator: merged, or kept apart for good
CREATE TABLE resident_candidates (
    id          INTEGER PRIMARY KEY,
    a           INTEGER NOT NULL REFERENCES residents (id),
    b           INTEGER NOT NULL REFERENCES residents (id),
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'apart')),
    at          TEXT NOT NULL,
    import_id   INTEGER REFERENCES resident_imports (id),
    decided_by  TEXT,
    decided_at  TEXT,
    UNIQUE (a, b)
);
CREATE INDEX resident_candidates_open ON resident_candidates (status, id);

-- what leadership aims at, per campaign and district
CREATE TABLE targets (
    campaign        TEXT NOT NULL,
    district        TEXT NOT NULL,
    villages        INTEGER,
    residents       INTEGER,
    trained         INTEGER,
    financed        INTEGER,
    financed_tenge  INTEGER,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    PRIMARY KEY (campaign, district)
);
