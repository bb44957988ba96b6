-- 015_restored_read_again: the first run that returned a restored record
-- again since its restore, whatever kind of read it was (incremental,
-- incomplete, complete). A read that finds a record unchanged writes
-- nothing to its row; undoing the restore must still keep a record the
-- source has shown again since, and name it. Only the loader of a source
-- with restored records not yet read again writes it (etl/loader.c).
ALTER TABLE kasparro.restored_records ADD COLUMN read_again_run bigint;
