-- Coverage keeps its follow-up funnel up to date by change rather than by reading every
-- resident again: every change of a resident's counted facts, or of the meetings that listed
-- them, notes the resident here (by trigger, whatever made the change); the registry's next
-- version tags the notes when it is published (outreach/db/residents.py: set_registry), so a
-- reader takes the residents changed after the version it last saw, in commit order.
CREATE TABLE resident_changes (
    resident_id  INTEGER NOT NULL,
    version      INTEGER
);
CREATE INDEX resident_changes_version ON resident_changes (version);

CREATE TRIGGER residents_noted_insert AFTER INSERT ON residents
BEGIN
    INSERT INTO resident_changes (resident_id) VALUES (NEW.id);
END;
CREATE TRIGGER residents_noted_update
AFTER UPDATE OF district, programme, stage, dropped, requested_tenge, financed_tenge, merged_into
ON residents
BEGIN
    INSERT INTO resident_changes (resident_id) VALUES (NEW.id);
END;
CREATE TRIGGER residents_noted_delete AFTER DELETE ON residents
BEGIN
    INSERT INTO resident_changes (resident_id) VALUES (OLD.id);
END;
CREATE TRIGGER sightings_noted_insert AFTER INSERT ON resident_sightings
BEGIN
    INSERT INTO resident_changes (resident_id) VALUES (NEW.resident_id);
END;
CREATE TRIGGER sightings_noted_update AFTER UPDATE ON resident_sightings
BEGIN
    INSERT INTO resident_changes (resident_id) VALUES (OLD.resident_id);
    INSERT INTO resident_changes (resident_id) VALUES (NEW.resident_id);
END;
CREATE TRIGGER sightings_noted_delete AFTER DELETE ON resident_sightings
BEGIN
    INSERT INTO resident_changes (resident_id) VALUES (OLD.resident_id);
END;
