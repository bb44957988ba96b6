-- 024_run_stage: what a run is doing now, for consoles of other processes.
--
-- The process carrying a run writes the stage of its per-run steps (dedup,
-- retention, anomalies) and, within matching, the phase (blocking,
-- "scoring 12345 pairs", clustering...), each change with a NOTIFY, so a
-- console that did not start the run shows the same board as the one that
-- did. NULL while the sources load (their rows in run_sources say how far
-- each is) and for runs from before this migration. Only meaningful while
-- the run is 'running'.
-- IF NOT EXISTS: a database rolled back to an earlier version by hand (its
-- schema_migrations rows deleted) takes this one again.
ALTER TABLE kasparro.runs ADD COLUMN IF NOT EXISTS stage text,
    ADD COLUMN IF NOT EXISTS step text;
