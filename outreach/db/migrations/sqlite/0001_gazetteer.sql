-- The gazetteer: region -> district -> rural okrug -> settlement, keyed by KATO code.

CREATE TABLE regions (
    kato     TEXT PRIMARY KEY CHECK (length(kato) = 9 AND kato NOT GLOB '*[^0-9]*'),
    name_kk  TEXT,
    name_ru  TEXT NOT NULL,
    name_en  TEXT
);

CREATE TABLE districts (
    kato            TEXT PRIMARY KEY CHECK (length(kato) = 9 AND kato NOT GLOB '*[^0-9]*'),
    region_kato     TEXT NOT NULL REFERENCES regions (kato),
    name_kk         TEXT,
    name_ru         TEXT NOT NULL,
    name_en         TEXT,
    centre_name     TEXT,
    centre_lat      REAL CHECK (centre_lat BETWEEN -90 AND 90),
    centre_lon      REAL CHECK (centre_lon BETWEEN -180 AND 180),
    CHECK ((centre_lat IS NULL) = (centre_lon IS NULL))
);

CREATE TABLE okrugs (
    kato            TEXT PRIMARY KEY CHECK (length(kato) = 9 AND kato NOT GLOB '*[^0-9]*'),
    district_kato   TEXT NOT NULL REFERENCES districts (kato),
    name_kk         TEXT,
    name_ru         TEXT NOT NULL,
    name_en         TEXT,
    -- the okrug's administrative centre: by KATO convention the settlement coded ...100
    centre_kato     TEXT
);
CREATE INDEX okrugs_district ON okrugs (district_kato);

CREATE TABLE villages (
    kato              TEXT PRIMARY KEY CHECK (length(kato) = 9 AND kato NOT GLOB '*[^0-9]*'),
    district_kato     TEXT NOT NULL REFERENCES districts (kato),
    okrug_kato        TEXT REFERENCES okrugs (kato),
    name_kk           TEXT,
    name_ru           TEXT NOT NULL,
    name_en           TEXT,
    kind              TEXT NOT NULL CHECK (kind IN ('city', 'town', 'village', 'station')),
    lat               REAL CHECK (lat BETWEEN -90 AND 90),
    lon               REAL CHECK (lon BETWEEN -180 AND 180),
    population        INTEGER CHECK (population >= 0),
    population_year   INTEGER CHECK (population_year BETWEEN 1800 AND 2200),
    coord_source      TEXT,
    population_source TEXT,
    search_key        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    updated_at        TEXT NOT NULL,
    CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX villages_district ON villages (district_kato);
CREATE INDEX villages_okrug ON villages (okrug_kato);

-- A coordinator's correction of a village; imports never overwrite a corrected field.
CREATE TABLE village_corrections (
    id            INTEGER PRIMARY KEY,
    village_kato  TEXT NOT NULL REFERENCES villages (kato),
    field         TEXT NOT NULL CHECK (field IN ('position', 'population', 'population_year')),
    old_value     TEXT,
    new_value     TEXT,
    corrected_at  TEXT NOT NULL
);
CREATE INDEX village_corrections_village ON village_corrections (village_kato);

CREATE TABLE gazetteer_imports (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    rows         INTEGER NOT NULL,
    created      INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    unchanged    INTEGER NOT NULL,
    imported_at  TEXT NOT NULL
);

-- One row: bumped by every change to the gazetteer, so derived data (distances) can be cached.
CREATE TABLE gazetteer_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO gazetteer_state (id, version) VALUES (1, 0);

-- Location quality and fallback position, derived on read so a corrected centre moves its villages.
CREATE VIEW village_locations AS
SELECT
    v.kato,
    CASE
        WHEN v.lat IS NOT NULL THEN 'exact'
        WHEN c.lat IS NOT NULL THEN 'okrug_centre'
        WHEN d.centre_lat IS NOT NULL THEN 'district_centre'
        ELSE 'unknown'
    END AS location_quality,
    CASE WHEN v.lat IS NULL THEN coalesce(c.lat, d.centre_lat) END AS fallback_lat,
    CASE WHEN v.lat IS NULL THEN
        CASE WHEN c.lat IS NOT NULL THEN c.lon ELSE d.centre_lon END
    END AS fallback_lon
FROM villages AS v
JOIN districts AS d ON d.kato = v.district_kato
LEFT JOIN okrugs AS o ON o.kato = v.okrug_kato
LEFT JOIN villages AS c ON c.kato = o.centre_kato;
