-- 017_queue_order_index: the review queue (`queue`, the console's Review
-- screen, GET /queue) lists pending pairs in one of two orders. Neither was
-- held by an index, so every page, the first one too, counted and sorted
-- every pending pair in range (about a second at 100,000 pending). Each
-- order now has a partial index in exactly its ORDER BY, which a page
-- walks from its start; the uncertainty order's expressions are immutable
-- (floor, abs), so the index computes them and no column has to be kept up
-- to date where pairs are scored. Both also carry what the listing filters
-- on and its count reads (probability, the two records), so counting the
-- queue is an index-only scan rather than a read of every pair's fields.
-- The probability index they replace led with the same column under the
-- same condition.
CREATE INDEX match_candidates_uncertain_idx ON kasparro.match_candidates
    (floor(abs(weight) * 4), disagreement DESC, abs(weight), id)
    INCLUDE (weight, probability, rec_a, rec_b) WHERE status = 'pending';
CREATE INDEX match_candidates_score_idx ON kasparro.match_candidates
    (probability DESC, weight DESC, id) INCLUDE (rec_a, rec_b) WHERE status = 'pending';
DROP INDEX kasparro.match_candidates_queue_idx;
