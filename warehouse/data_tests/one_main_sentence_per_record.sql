-- Every mention record has exactly one main evidence sentence, all its sentences join one event and come from its article.
SELECT r.record_id, count(x.mention_id) FILTER (WHERE x.is_main) AS n_main,
       count(DISTINCT x.event_id) AS n_events, count(DISTINCT x.article_id) FILTER (WHERE x.article_id <> r.article_id) AS n_foreign
FROM mention_records r LEFT JOIN mentions x USING (record_id)
GROUP BY r.record_id
HAVING count(x.mention_id) FILTER (WHERE x.is_main) <> 1 OR count(DISTINCT x.event_id) <> 1
    OR count(x.mention_id) FILTER (WHERE x.article_id <> r.article_id) > 0
