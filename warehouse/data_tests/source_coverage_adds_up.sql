-- source_coverage accounts for every article once, and its exclusive events are the events reported by one site only.
WITH single_site AS (
    SELECT x.event_id FROM mentions x JOIN articles a USING (article_id)
    GROUP BY x.event_id HAVING count(DISTINCT coalesce(a.site, chr(0))) = 1
)
SELECT 'articles' AS what, (SELECT sum(n_articles) FROM source_coverage) AS in_mart, (SELECT count(*) FROM articles) AS in_tables
WHERE (SELECT coalesce(sum(n_articles), 0) FROM source_coverage) <> (SELECT count(*) FROM articles)
UNION ALL
SELECT 'exclusive events', (SELECT sum(n_exclusive_events) FROM source_coverage), (SELECT count(*) FROM single_site)
WHERE (SELECT coalesce(sum(n_exclusive_events), 0) FROM source_coverage) <> (SELECT count(*) FROM single_site)
