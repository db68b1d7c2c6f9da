-- A coordinator's decision on a review item (keep, or restore the overwritten value) and the
-- comment that explains it, kept beside who resolved it and when.
ALTER TABLE sync_overwrites ADD COLUMN resolution TEXT;
ALTER TABLE sync_overwrites ADD COLUMN comment TEXT;
ALTER TABLE sync_parked ADD COLUMN resolution TEXT;
ALTER TABLE sync_parked ADD COLUMN comment TEXT;
