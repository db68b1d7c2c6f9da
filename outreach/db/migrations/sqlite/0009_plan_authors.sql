-- Who made each plan version: the login of the coordinator who created the draft or re-plan
-- (null for versions made before this was recorded, and for plans made outside the API).
ALTER TABLE plans ADD COLUMN created_by TEXT;
