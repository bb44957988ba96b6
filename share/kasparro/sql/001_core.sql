-- 001_core: runs, records, raw payloads, quarantine, checkpoints, audit log.
--
-- kasparro's tables live in schema "kasparro". The declared fields of the
-- unified schema are columns of kasparro.records that kasparro adds itself
-- from the configuration (one column per [schema] field, typed), so this
-- migration creates only the fixed columns.
--
-- Run ids are not foreign keys on the hot tables: a foreign-key check per
-- loaded row costs more than it protects, and runs are never deleted.

CREATE TABLE runs (
    id            bigserial PRIMARY KEY,
    trigger       text NOT NULL CHECK (trigger IN ('manual', 'schedule', 'startup')),
    actor         text NOT NULL,
    scheduled_for timestamptz,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    status        text NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed',
                                                  'abandoned', 'interrupted', 'missed',
                                                  'skipped')),
    full_sync     boolean NOT NULL DEFAULT false,
    sources       text[] NOT NULL DEFAULT '{}',
    host          text,
    pid           integer,
    error         text
);
CREATE INDEX runs_status_idx ON runs (status) WHERE status = 'running';
CREATE INDEX runs_started_idx ON runs (started_at DESC);

CREATE TABLE run_sources (
    run_id        bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    source        text NOT NULL,
    status        text NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'skipped',
                                    'interrupted')),
    sync          text NOT NULL DEFAULT 'full',
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    total         bigint,           -- records the source said it has, when it says
    fetched       bigint NOT NULL DEFAULT 0,
    inserted      bigint NOT NULL DEFAULT 0,
    updated       bigint NOT NULL DEFAULT 0,
    unchanged     bigint NOT NULL DEFAULT 0,
    quarantined   bigint NOT NULL DEFAULT 0,
    soft_deleted  bigint NOT NULL DEFAULT 0,
    restored      bigint NOT NULL DEFAULT 0,
    held_deletes  bigint NOT NULL DEFAULT 0,
    pages         bigint NOT NULL DEFAULT 0,
    requests      bigint NOT NULL DEFAULT 0,
    retries       bigint NOT NULL DEFAULT 0,
    bytes         bigint NOT NULL DEFAULT 0,
    drift         jsonb NOT NULL DEFAULT '[]',
    resumed       boolean NOT NULL DEFAULT false,  -- continued an interrupted full read
    complete      boolean NOT NULL DEFAULT false,  -- read the whole source
    error         text,
    PRIMARY KEY (run_id, source)
);

-- Every change to a record takes the next change_seq, so "what changed
-- since N" (incremental matching, the console) is an index range scan.
CREATE SEQUENCE record_change_seq;

CREATE TABLE records (
    id               bigserial PRIMARY KEY,
    source           text NOT NULL,
    source_id        text NOT NULL,
    content_hash     uuid NOT NULL,
    first_seen_run   bigint NOT NULL,
    last_changed_run bigint NOT NULL,
    change_seq       bigint NOT NULL DEFAULT nextval('record_change_seq'),
    is_deleted       boolean NOT NULL DEFAULT false,
    deleted_at       timestamptz,
    deleted_by_run   bigint,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, source_id)
);
-- change_seq grows with every write, so a BRIN index answers "changed since
-- N" almost as well as a btree at a fraction of the cost per loaded row.
CREATE INDEX records_change_idx ON records USING brin (change_seq);
CREATE INDEX records_deleted_idx ON records (deleted_at) WHERE is_deleted;

-- One raw payload per record. No foreign key: checking it cost the loader
-- a fifth of its time; records and their payloads are only ever deleted
-- together (retention purge), in one statement.
CREATE TABLE raw_records (
    record_id  bigint PRIMARY KEY,
    payload    jsonb NOT NULL,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    run_id     bigint NOT NULL
);

CREATE TABLE quarantine (
    id         bigserial PRIMARY KEY,
    run_id     bigint NOT NULL,
    source     text NOT NULL,
    location   text NOT NULL,      -- "line 12", "page 3, record 7"
    source_id  text,
    field      text,
    reason     text NOT NULL,
    raw        text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quarantine_run_idx ON quarantine (run_id);

-- The resume point of a source, written in the transaction of the batch it
-- follows: a crash at any moment resumes exactly after committed data.
CREATE TABLE checkpoints (
    source            text PRIMARY KEY,
    cursor            text,         -- incremental high-water mark
    position          jsonb,        -- where an unfinished full read stopped
    run_id            bigint,
    last_full_sync_at timestamptz,  -- last complete full read
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   text,
    run_id      bigint,
    reason      text,
    before      jsonb,
    after       jsonb
);
CREATE INDEX audit_object_idx ON audit_log (object_type, object_id);
CREATE INDEX audit_at_idx ON audit_log (at);
