-- 002_entities: canonical entities, their members, scored match candidates,
-- operator decisions and the constraints they leave, and the matcher's state.
--
-- Every live record belongs to exactly one entity (entity_members.live).
-- A soft-deleted record keeps its row with live = false, so a restore puts
-- it back where it was; an entity without live members keeps its id and key
-- (deleted_at set) and comes back with them. No foreign keys on the hot
-- tables (as in 001): a full rescan writes a million rows at once.

CREATE TABLE entities (
    id             bigserial PRIMARY KEY,
    key            text NOT NULL UNIQUE,      -- python-guide-001, never reused
    title          text,
    display_record bigint,                    -- the canonical record
    size           integer NOT NULL DEFAULT 0, -- live members
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    deleted_at     timestamptz                -- no live member left
);
CREATE INDEX entities_live_idx ON entities (id) WHERE deleted_at IS NULL;

-- The last sequence number handed out per key slug.
CREATE TABLE entity_slugs (
    slug text PRIMARY KEY,
    last integer NOT NULL
);

CREATE TABLE entity_members (
    record_id  bigint PRIMARY KEY,
    entity_id  bigint NOT NULL,
    method     text NOT NULL CHECK (method IN ('single', 'exact', 'auto', 'manual')),
    confidence real NOT NULL DEFAULT 1,
    live       boolean NOT NULL DEFAULT true,
    seq        bigint NOT NULL,              -- the record's change_seq this reflects
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entity_members_entity_idx ON entity_members (entity_id);

CREATE TABLE match_candidates (
    id           bigserial PRIMARY KEY,
    rec_a        bigint NOT NULL,
    rec_b        bigint NOT NULL CHECK (rec_a < rec_b),
    probability  double precision NOT NULL,
    weight       double precision NOT NULL,
    prior_weight double precision NOT NULL DEFAULT 0,
    fields       jsonb NOT NULL,  -- per field: level, label, similarity, weight
    method       text NOT NULL DEFAULT 'fuzzy' CHECK (method IN ('exact', 'fuzzy')),
    status       text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'auto',
                                                 'superseded')),
    note         text,            -- why a strong pair waits for review
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    decided_by   text,
    decided_at   timestamptz,
    reason       text,
    decision_id  bigint,
    UNIQUE (rec_a, rec_b)
);
CREATE INDEX match_candidates_queue_idx ON match_candidates (probability) WHERE status = 'pending';
CREATE INDEX match_candidates_b_idx ON match_candidates (rec_b);

-- Operator constraints: must (approve) and cannot (reject, split).
CREATE TABLE links (
    rec_a       bigint NOT NULL,
    rec_b       bigint NOT NULL CHECK (rec_a < rec_b),
    kind        text NOT NULL CHECK (kind IN ('must', 'cannot')),
    decision_id bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rec_a, rec_b)
);
CREATE INDEX links_b_idx ON links (rec_b);

CREATE TABLE decisions (
    id           bigserial PRIMARY KEY,
    action       text NOT NULL CHECK (action IN ('approve', 'reject', 'split', 'undo')),
    actor        text NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    reason       text,
    candidate_id bigint,
    record_id    bigint,
    entity_id    bigint,
    undoes       bigint,        -- an undo: the decision it reverted
    undone_by    bigint,        -- set when reverted
    before       jsonb NOT NULL DEFAULT '{}',
    after        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX decisions_live_idx ON decisions (id) WHERE undone_by IS NULL AND action <> 'undo';

-- One row: how far record changes have been matched, and the model.
CREATE TABLE dedup_state (
    id          integer PRIMARY KEY CHECK (id = 1),
    watermark   bigint NOT NULL DEFAULT 0,  -- highest change_seq processed
    model       jsonb,                      -- m, u, prior per comparison
    last_run_at timestamptz,
    last_full_at timestamptz,
    stats       jsonb NOT NULL DEFAULT '{}'
);
INSERT INTO dedup_state (id) VALUES (1);
