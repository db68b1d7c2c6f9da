-- Coverage keeps its follow-up funnel up to date by change rather than by reading every
-- resident again: every change of a resident's counted facts, or of the meetings that listed
-- them, notes the resident here (by trigger, whatever made the change); the registry's next
-- version tags the notes when it is published (outreach/db/residents.py: set_registry, under
-- the registry_state row lock, so versions follow commit order), and a reader takes the
-- residents changed after the version it last saw.
CREATE TABLE resident_changes (
    resident_id  BIGINT NOT NULL,
    version      BIGINT
);
CREATE INDEX resident_changes_version ON resident_changes (version);

CREATE FUNCTION resident_noted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO resident_changes (resident_id) VALUES (OLD.id);
    ELSE
        INSERT INTO resident_changes (resident_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER residents_noted
AFTER INSERT OR DELETE OR UPDATE OF district, programme, stage, dropped, requested_tenge,
    financed_tenge, merged_into
ON residents FOR EACH ROW EXECUTE FUNCTION resident_noted();

CREATE FUNCTION sighting_noted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO resident_changes (resident_id) VALUES (OLD.resident_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO resident_changes (resident_id) VALUES (NEW.resident_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sightings_noted
AFTER INSERT OR UPDATE OR DELETE ON resident_sightings
FOR EACH ROW EXECUTE FUNCTION sighting_noted();
