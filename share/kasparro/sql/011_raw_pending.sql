-- 011_raw_pending: a first load writes a batch's payloads on a second
-- connection, whose transaction commits just before the one with the
-- batch's records and checkpoint. Its marker row, written with the
-- payloads, names the batch's record ids (spans: first, last, first, last,
-- ... of runs of consecutive ids); the records transaction deletes it. A
-- marker that outlives its batch (a crash between the two commits) names
-- payloads no record has: the source's next load deletes them, and no
-- reader sees them meanwhile (every reader of raw_records goes through
-- records).
CREATE TABLE kasparro.raw_pending (
    first_id   bigint PRIMARY KEY,
    source     text NOT NULL,
    run_id     bigint NOT NULL,
    spans      bigint[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX raw_pending_source_idx ON kasparro.raw_pending (source);
