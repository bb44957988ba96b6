-- 008_read_incomplete: why a read did not see the whole source.
--
-- Only a read that saw the whole source may delete. When one did not (a
-- page limit stopped it, a malformed line could not be read, it resumed an
-- interrupted read, it failed), the reason is kept with the source's row of
-- the run, so `show-run` can say why nothing was deleted. NULL: it did.
ALTER TABLE kasparro.run_sources ADD COLUMN incomplete text;
