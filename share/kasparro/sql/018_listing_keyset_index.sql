-- 018_listing_keyset_index: the review queue's two order indexes (017) and
-- the entities listing's (012) again, every column ascending: a descending
-- column is its negated value ascending (-disagreement, -probability and
-- -weight for the queue, -size for the largest entity first), the order
-- the same. A page after an item is then one row comparison, (key) > (the
-- last item's key), which a btree index starts its scan at only when its
-- columns all run one way (with a descending column in the key the scan
-- would start at its first column's value and filter its way on). GET
-- /queue and GET /entities page by that key, their cursors carrying the
-- last item's values, so a deep page reads its own items only. The score
-- index also bounds the probability range (-probability between -max and
-- -min), as the descending one did.
DROP INDEX kasparro.match_candidates_uncertain_idx;
CREATE INDEX match_candidates_uncertain_idx ON kasparro.match_candidates
    (floor(abs(weight) * 4), (-disagreement), abs(weight), id)
    INCLUDE (weight, probability, rec_a, rec_b) WHERE status = 'pending';
DROP INDEX kasparro.match_candidates_score_idx;
CREATE INDEX match_candidates_score_idx ON kasparro.match_candidates
    ((-probability), (-weight), id) INCLUDE (rec_a, rec_b) WHERE status = 'pending';
DROP INDEX kasparro.entities_listed_idx;
CREATE INDEX entities_listed_idx ON kasparro.entities ((-size), id) WHERE deleted_at IS NULL;
