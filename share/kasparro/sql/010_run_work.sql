-- 010_run_work: a run's sources are units of work any process may take.
--
-- A run writes one run_sources row per source when it begins, 'pending',
-- in the order the run lists them (ord). A worker — a thread of the process
-- that started the run, or of any daemon that joins it — takes a pending
-- source by holding a session advisory lock on it (the lease: it lives as
-- long as the worker's connection, so a worker that dies gives its source
-- back) and marking the row 'running' with itself as owner. A source found
-- 'running' whose lease is free belonged to a worker that died: the next
-- worker resumes it from its checkpoint (claims counts the takes). The
-- counters are added up batch by batch in the batches' own transactions,
-- so they stay exact whoever loaded which part.
ALTER TABLE kasparro.run_sources
    ADD COLUMN ord integer NOT NULL DEFAULT 0,
    ADD COLUMN owner text,            -- "host:pid/worker" of the last taker
    ADD COLUMN claims integer NOT NULL DEFAULT 0,
    ALTER COLUMN status SET DEFAULT 'pending',
    DROP CONSTRAINT run_sources_status_check,
    ADD CONSTRAINT run_sources_status_check
        CHECK (status IN ('pending', 'running', 'succeeded', 'partial', 'failed', 'skipped',
                          'interrupted'));
CREATE INDEX run_sources_open_idx ON kasparro.run_sources (run_id)
    WHERE status IN ('pending', 'running');

-- What a worker joining the run needs to read its sources as asked.
ALTER TABLE kasparro.runs ADD COLUMN allow_mass_delete boolean NOT NULL DEFAULT false;
