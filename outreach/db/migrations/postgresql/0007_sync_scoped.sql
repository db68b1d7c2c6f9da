-- Sync, bounded and scoped: a mutation id is looked up within its team only (another team
-- reusing an id learns nothing), and a record keeps the size of its document so that a pull
-- page can be bounded in bytes without reading the documents.

-- existing mutations belong to the team their device's user was in when they arrived (or,
-- failing that, is in now); 0, a team that never exists, when neither is known
ALTER TABLE sync_mutations ADD COLUMN team_id BIGINT;
UPDATE sync_mutations AS m SET team_id = coalesce(
    (SELECT tm.team_id FROM devices AS d JOIN team_memberships AS tm ON tm.user_id = d.user_id
     WHERE d.id = m.device_id AND tm.joined_at <= m.received_at
     ORDER BY tm.joined_at DESC LIMIT 1),
    (SELECT tm.team_id FROM devices AS d JOIN team_memberships AS tm ON tm.user_id = d.user_id
     WHERE d.id = m.device_id ORDER BY tm.left_at IS NULL DESC, tm.joined_at DESC LIMIT 1),
    0);
ALTER TABLE sync_mutations ALTER COLUMN team_id SET NOT NULL;
ALTER TABLE sync_mutations DROP CONSTRAINT sync_mutations_pkey;
ALTER TABLE sync_mutations ADD PRIMARY KEY (team_id, mutation_id);

ALTER TABLE sync_records ADD COLUMN size_bytes BIGINT NOT NULL DEFAULT 0;
-- jsonb cannot hold U+0000 (the coordinators' views read documents as jsonb), which the server
-- now refuses at the edge; a document stored before holds U+FFFD in its place (the same length
-- of JSON text, still valid JSON)
UPDATE sync_records SET doc = replace(doc, '\u0000', '\ufffd') WHERE strpos(doc, '\u0000') > 0;
UPDATE sync_records SET size_bytes = octet_length(doc);
-- a pull reads the sizes of the next records first: from this index alone, never from the rows
-- (in SQLite a column after a large document is reached only through its overflow pages)
CREATE INDEX sync_records_team_seq_size ON sync_records (team_id, seq, size_bytes);
