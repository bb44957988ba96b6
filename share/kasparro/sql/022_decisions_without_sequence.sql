-- 022_decisions_without_sequence: a decision's id is never drawn from a sequence.
--
-- decisions.id was a bigserial, but every insert names its id: the next
-- after the largest, under DB_LOCK_DECISIONS (SQL_DECISION_ID in db.h), so
-- that ids run without gaps (operators type them: `undo 12`). The sequence
-- the column's default drew from was never advanced, and an insert that
-- forgot the id would have taken 1, 2, 3... again, colliding with the
-- decisions already there. With no default such an insert fails at once
-- (the id is NOT NULL), and nothing suggests a second way to number them.
-- Idempotent: a database rolled back by hand takes it again.
ALTER TABLE kasparro.decisions ALTER COLUMN id DROP DEFAULT;
DROP SEQUENCE IF EXISTS kasparro.decisions_id_seq;
