-- Every event has mentions, and its n_mentions and n_articles count them.
SELECT m.event_id, m.n_mentions, m.n_articles, count(x.mention_id) AS mentions, count(DISTINCT x.article_id) AS articles
FROM meetings m LEFT JOIN mentions x USING (event_id)
GROUP BY m.event_id, m.n_mentions, m.n_articles
HAVING count(x.mention_id) = 0 OR m.n_mentions <> count(x.mention_id) OR m.n_articles <> count(DISTINCT x.article_id)
