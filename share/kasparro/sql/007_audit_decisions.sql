-- 007_audit_decisions: an audit row names the operator decision it records.
--
-- `undo 7` is audited as an action on decision 7, and decision 7's own row
-- (the approve) now carries decision_id 7, so `audit --object decision:7`
-- finds both. Rows written before this migration are matched to their
-- decision: both were written in one transaction, so they share now(), the
-- actor, the action and the object.
ALTER TABLE kasparro.audit_log ADD COLUMN decision_id bigint;
CREATE INDEX audit_decision_idx ON kasparro.audit_log (decision_id) WHERE decision_id IS NOT NULL;

UPDATE kasparro.audit_log a SET decision_id = d.id
FROM kasparro.decisions d
WHERE a.action = d.action AND a.actor = d.actor AND a.at = d.at
  AND a.object_id = coalesce(d.candidate_id, d.undoes, d.entity_id)::text
  AND a.action IN ('approve', 'reject', 'split', 'undo');
