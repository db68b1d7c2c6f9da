-- Coordinators correct settlements' Kazakh and Russian names too: the history of corrections
-- accepts them (SQLite changes a CHECK by rebuilding the table).
CREATE TABLE village_corrections_new (
    id            INTEGER PRIMARY KEY,
    village_kato  TEXT NOT NULL REFERENCES villages (kato),
    field         TEXT NOT NULL CHECK (field IN ('position', 'population', 'population_year',
                                                 'name_kk', 'name_ru')),
    old_value     TEXT,
    new_value     TEXT,
    corrected_at  TEXT NOT NULL
);
INSERT INTO village_corrections_new (id, village_kato, field, old_value, new_value, corrected_at)
    SELECT id, village_kato, field, old_value, new_value, corrected_at FROM village_corrections;
DROP TABLE village_corrections;
ALTER TABLE village_corrections_new RENAME TO village_corrections;
CREATE INDEX village_corrections_village ON village_corrections (village_kato);
