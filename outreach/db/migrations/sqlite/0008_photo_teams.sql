-- Photos are stored once by content, but belong to every team that uploaded them: a team sees
-- a photo only once it has sent the bytes itself, and an upload in progress is its team's own
-- (another team learns nothing of it, and two teams sending the same bytes do not mix).
CREATE TABLE photo_teams (
    sha256       TEXT NOT NULL REFERENCES photos (sha256),
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    device_id    INTEGER REFERENCES devices (id),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (sha256, team_id)
);
INSERT INTO photo_teams (sha256, team_id, device_id, created_at)
    SELECT sha256, team_id, device_id, created_at FROM photos;

CREATE TABLE photo_uploads_by_team (
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    device_id    INTEGER NOT NULL REFERENCES devices (id),
    total_bytes  INTEGER NOT NULL,
    data         BLOB NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (team_id, sha256)
);
INSERT INTO photo_uploads_by_team SELECT * FROM photo_uploads;
DROP TABLE photo_uploads;
ALTER TABLE photo_uploads_by_team RENAME TO photo_uploads;
