-- 016_candidates_stale: a pending pair whose score a pass gave while a
-- decision stood that was undone since keeps that score until the next
-- pass scores it again (dedup/undo.c). stale_undo names the undo; a pass
-- that scores the pair clears it (dedup/match.c). It used to be said by
-- replacing the pair's note, so the queue, its --json and the HTTP API
-- could not show it and the note the pass gave was lost: such notes become
-- the column (the note they replaced is gone).
ALTER TABLE kasparro.match_candidates ADD COLUMN stale_undo bigint;
UPDATE kasparro.match_candidates
   SET stale_undo = substring(note FROM 'since undone [(]decision ([0-9]+)[)]')::bigint, note = NULL
 WHERE note ~ '^scored while decision [0-9]+ stood, since undone [(]decision [0-9]+[)]';
