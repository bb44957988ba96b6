-- 020_run_source_digest: what each source of a run is loaded by.
--
-- The process that starts a run records, per source, the digest of the
-- configuration it would load the source by (its section, the schema, the
-- delete guard). A process that joins the run loads only the sources whose
-- digest is its own: a daemon started before kasparro.conf was edited
-- leaves the edited sources to the process that started the run, rather
-- than loading them by the older mapping. NULL (a run from before this
-- migration) is loaded by any process that knows the source, as before.
ALTER TABLE kasparro.run_sources ADD COLUMN config_digest text;
