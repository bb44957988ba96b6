-- 003_deletes: deletions held by the mass-delete guard, and their records.
--
-- When a complete full read of a source would soft-delete more than the
-- guard allows (or the source returned nothing), the orphans are not
-- deleted: they are written here, one row per (run, source) plus the exact
-- record ids, and wait for an operator's decision (apply-deletes,
-- discard-deletes). Reads after the hold remove from its set every record
-- they saw again, so applying it later deletes exactly the records still
-- missing. A later complete read of the same source decides afresh and
-- closes the open hold as 'superseded'.

CREATE TABLE pending_deletes (
    id           bigserial PRIMARY KEY,
    run_id       bigint NOT NULL,
    source       text NOT NULL,
    live         bigint NOT NULL,            -- the source's live records when held
    would_delete bigint NOT NULL,            -- orphans found by the run
    max_ratio    double precision NOT NULL,  -- the guard's ratio for this source
    empty_read   boolean NOT NULL DEFAULT false,
    reason       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    decision     text CHECK (decision IN ('applied', 'discarded', 'superseded')),
    decided_by   text,
    decided_at   timestamptz,
    superseded_by_run bigint,
    applied      bigint,                     -- records deleted when applied
    UNIQUE (run_id, source)
);
CREATE INDEX pending_deletes_open_idx ON pending_deletes (source) WHERE decision IS NULL;

CREATE TABLE pending_delete_records (
    pending_id bigint NOT NULL REFERENCES pending_deletes (id) ON DELETE CASCADE,
    record_id  bigint NOT NULL,
    PRIMARY KEY (pending_id, record_id)
);
CREATE INDEX pending_delete_records_record_idx ON pending_delete_records (record_id);

-- restore --run and the Deleted screen look records up by the deleting run.
CREATE INDEX records_deleted_by_run_idx ON records (deleted_by_run) WHERE is_deleted;
CREATE INDEX audit_action_idx ON audit_log (action, at);
