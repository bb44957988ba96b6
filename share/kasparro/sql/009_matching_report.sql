-- 009_matching_report: what entity unification did in a run, and how
-- much a queued pair's evidence disagrees with itself.
--
-- runs.matching is the matcher's statistics for the run (pairs compared,
-- merged automatically, queued, what the queue then held, the model's
-- warnings), for run, show-run and the console's Runs screen; NULL before
-- matching ran. match_candidates.disagreement is the evidence on the
-- losing side of a pair (bits): among pairs about as uncertain, the queue
-- puts first those whose fields contradict each other most, the decisions
-- that teach the model most.
ALTER TABLE kasparro.runs ADD COLUMN matching jsonb;
ALTER TABLE kasparro.match_candidates ADD COLUMN disagreement real NOT NULL DEFAULT 0;
