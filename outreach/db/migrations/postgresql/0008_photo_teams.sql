-- Photos are stored once by content, but belong to every team that uploaded them: a team sees
-- a photo only once it has sent the bytes itself, and an upload in progress is its team's own
-- (another team learns nothing of it, and two teams sending the same bytes do not mix).
CREATE TABLE photo_teams (
    sha256       TEXT NOT NULL REFERENCES photos (sha256),
    team_id      BIGINT NOT NULL REFERENCES teams (id),
    device_id    BIGINT REFERENCES devices (id),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (sha256, team_id)
);
INSERT INTO photo_teams (sha256, team_id, device_id, created_at)
    SELECT sha256, team_id, device_id, created_at FROM photos;

ALTER TABLE photo_uploads DROP CONSTRAINT photo_uploads_pkey;
ALTER TABLE photo_uploads ADD PRIMARY KEY (team_id, sha256);
