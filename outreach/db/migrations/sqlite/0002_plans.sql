-- Campaign plans and their versions: drafts, the published one per campaign, superseded ones.

CREATE TABLE plans (
    id                 INTEGER PRIMARY KEY,
    campaign           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
    based_on           INTEGER REFERENCES plans (id),
    gazetteer_version  INTEGER,
    document           TEXT NOT NULL,          -- the plan document, JSON (docs/plan-format.md)
    road_km            REAL NOT NULL,
    meetings           INTEGER NOT NULL,
    meetings_placed    INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    published_at       TEXT
);
CREATE INDEX plans_campaign ON plans (campaign, id);
-- what field phones receive: at most one published plan per campaign
CREATE UNIQUE INDEX plans_one_published ON plans (campaign) WHERE status = 'published';
