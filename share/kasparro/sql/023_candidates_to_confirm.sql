-- 023_candidates_to_confirm: an automatic merge a full pass lists in the
-- review queue for an operator to confirm (the review budget's unspent
-- room, dedup/budget.c) is pending and still merged. That was told only by
-- its note's text, which every reader (the queue, the re-clustering after
-- a decision, the pass's settling of pairs inside one entity) compared
-- word for word. It is now this column: true while the pass lists the
-- merge, kept through an approval or a rejection (an undo that opens the
-- pair again lists it again) and cleared when the pair is queued as no
-- longer merged or superseded. The note stays, as every pending pair's
-- note, the operator's explanation. Idempotent.
ALTER TABLE kasparro.match_candidates
    ADD COLUMN IF NOT EXISTS to_confirm boolean NOT NULL DEFAULT false;
UPDATE kasparro.match_candidates SET to_confirm = true
 WHERE status = 'pending' AND NOT to_confirm
   AND note = 'merged automatically, among the merges the model is least sure of: approve to '
              'keep it, reject to split it';
