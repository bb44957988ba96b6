-- 014_restored_records_index: the rows restores keep of their records
-- (restored_records, 013) are looked up by record: the retention purge
-- deletes those of each batch of records it purges, and a read marks the
-- restored records it returns again (015). The primary key leads with the
-- decision, so each such lookup read the whole table.
CREATE INDEX restored_records_record_idx ON kasparro.restored_records (record_id);
