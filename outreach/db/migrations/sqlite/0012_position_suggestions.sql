-- A coordinator's decision on a village position a field team suggested (a village_position
-- record): accepted (the village's position was set from it) or refused, with a comment.
CREATE TABLE position_suggestion_decisions (
    record_id   TEXT PRIMARY KEY REFERENCES sync_records (id),
    decision    TEXT NOT NULL CHECK (decision IN ('accepted', 'refused')),
    comment     TEXT,
    decided_by  TEXT NOT NULL,
    decided_at  TEXT NOT NULL
);
