-- 006_candidate_fields_json: a candidate's field-by-field explanation is
-- kept as json, not jsonb.
--
-- kasparro writes the explanation once per pass and reads it back whole
-- (show-match, the Review screen, the model's blend of approvals); nothing
-- queries into it. json only validates on the way in, where jsonb built its
-- binary form for every candidate of a rescan.
ALTER TABLE kasparro.match_candidates ALTER COLUMN fields TYPE json USING fields::json;
