-- Marts over the contract tables. Recreated after every load.

-- One row per event: when, what, who, what came out of it, how many sources.
CREATE OR REPLACE VIEW timeline AS
SELECT
    m.event_id,
    m.start_date,
    m.end_date,
    m.date_precision,
    m.event_type,
    m.medium,
    m.status,
    m.title_ja,
    m.title_en,
    m.location,
    coalesce((SELECT string_agg(coalesce(p.name_ja, p.name_en), '、' ORDER BY p.country, p.person_key)
              FROM participants p WHERE p.event_id = m.event_id), '') AS participants,
    (SELECT count(*) FROM outcomes o WHERE o.event_id = m.event_id) AS n_outcomes,
    m.n_mentions,
    m.n_articles,
    m.n_sources,
    m.confidence
FROM meetings m
ORDER BY m.start_date NULLS LAST, m.event_type, m.event_id;
