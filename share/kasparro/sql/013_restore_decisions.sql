-- 013_restore_decisions: a restore is an operator decision, which undo
-- reverts.
--
-- `restore` records one decision (action 'restore') and, per record it
-- restored, the record as the restore left it (its change_seq) and as it
-- was deleted (deleted_at, deleted_by_run). Undoing the decision deletes
-- again, exactly as they were deleted, only the records still as the
-- restore left them: one that changed, was deleted again or was read again
-- by a complete read of its source since stays as it is.
ALTER TABLE kasparro.decisions DROP CONSTRAINT decisions_action_check;
ALTER TABLE kasparro.decisions ADD CONSTRAINT decisions_action_check
    CHECK (action IN ('approve', 'reject', 'split', 'restore', 'undo'));

CREATE TABLE kasparro.restored_records (
    decision_id    bigint NOT NULL,
    record_id      bigint NOT NULL,
    change_seq     bigint NOT NULL,  -- the record as the restore left it
    deleted_at     timestamptz,      -- the record as it was deleted
    deleted_by_run bigint,
    PRIMARY KEY (decision_id, record_id)
);
