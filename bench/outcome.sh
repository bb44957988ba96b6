# bench/outcome.sh — shared by bench/bench-match-scale.sh and
# bench/bench-variants-scale.sh (source it; they define sql): what a
# matching pass decided, as digests any two runs of a benchmark (another
# build, the same data) can be compared by — the partition (each record
# with its entity's smallest record id) and the candidates (pair, status,
# probability).
outcome() {
	sql "
SELECT md5(string_agg(record_id || ':' || first, ',' ORDER BY record_id)) FROM (
  SELECT record_id, min(record_id) OVER (PARTITION BY entity_id) AS first
  FROM kasparro.entity_members WHERE live) m;
SELECT md5(string_agg(rec_a || ',' || rec_b || ',' || status || ',' || probability, ';'
  ORDER BY rec_a, rec_b)) FROM kasparro.match_candidates WHERE status IN ('pending', 'auto');" |
		paste -sd ' '
}
