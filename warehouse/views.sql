-- Marts over the contract tables: views, recreated after every load and in every published
-- snapshot. Columns are described in warehouse/tables.yml; data tests in warehouse/data_tests/.
-- Dates are local at the venue (DATE); a year or month is that of an event's start_date.

-- One row per event: when, what, who, what came out of it, which sources report it.
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
    m.confidence,
    m.series,
    coalesce((SELECT list(DISTINCT a.site ORDER BY a.site)
              FROM mentions x JOIN articles a USING (article_id)
              WHERE x.event_id = m.event_id AND a.site IS NOT NULL), []::VARCHAR[]) AS sites,
    coalesce((SELECT list(DISTINCT x.article_id ORDER BY x.article_id)
              FROM mentions x WHERE x.event_id = m.event_id), []::VARCHAR[]) AS article_ids,
    coalesce((SELECT list(DISTINCT t ORDER BY t)
              FROM (SELECT unnest(o.topics) AS t FROM outcomes o WHERE o.event_id = m.event_id)),
             []::VARCHAR[]) AS topics
FROM meetings m
ORDER BY m.start_date NULLS LAST, m.event_type, m.event_id;

-- Every pair of people from different countries who took part in the same event.
CREATE OR REPLACE VIEW counterparts AS
SELECT
    a.person_key,
    min(a.name_ja) AS name_ja,
    min(a.name_en) AS name_en,
    min(a.country) AS country,
    b.person_key AS counterpart_key,
    min(b.name_ja) AS counterpart_name_ja,
    min(b.name_en) AS counterpart_name_en,
    min(b.country) AS counterpart_country,
    count(DISTINCT a.event_id) AS n_events,
    min(m.start_date) AS first_date,
    max(m.start_date) AS last_date,
    list(DISTINCT a.event_id ORDER BY a.event_id) AS event_ids,
    list(DISTINCT m.event_type ORDER BY m.event_type) AS event_types
FROM participants a
JOIN participants b ON b.event_id = a.event_id AND b.person_key <> a.person_key
                   AND b.country IS DISTINCT FROM a.country
JOIN meetings m ON m.event_id = a.event_id
GROUP BY a.person_key, b.person_key
ORDER BY n_events DESC, a.person_key, b.person_key;

-- Per person, year and event type: how many events, when, and whom they met.
CREATE OR REPLACE VIEW participant_activity AS
WITH per_event AS (
    SELECT p.person_key, p.person_id, p.name_ja, p.name_en, p.country, p.event_id,
           m.event_type, m.status, m.start_date, year(m.start_date) AS year
    FROM participants p JOIN meetings m USING (event_id)
),
met AS (
    SELECT a.person_key, a.event_id, coalesce(b.name_ja, b.name_en) AS counterpart
    FROM participants a
    JOIN participants b ON b.event_id = a.event_id AND b.person_key <> a.person_key
                       AND b.country IS DISTINCT FROM a.country
)
SELECT
    e.person_key,
    min(e.person_id) AS person_id,
    min(e.name_ja) AS name_ja,
    min(e.name_en) AS name_en,
    min(e.country) AS country,
    e.year,
    e.event_type,
    count(DISTINCT e.event_id) AS n_events,
    count(DISTINCT e.event_id) FILTER (WHERE e.status = 'held') AS n_held,
    min(e.start_date) AS first_date,
    max(e.start_date) AS last_date,
    list(DISTINCT e.event_id ORDER BY e.event_id) AS event_ids,
    coalesce(list(DISTINCT t.counterpart ORDER BY t.counterpart) FILTER (WHERE t.counterpart IS NOT NULL),
             []::VARCHAR[]) AS counterparts,
    count(DISTINCT t.counterpart) AS n_counterparts
FROM per_event e
LEFT JOIN met t ON t.person_key = e.person_key AND t.event_id = e.event_id
GROUP BY e.person_key, e.year, e.event_type
ORDER BY e.person_key, e.year NULLS LAST, e.event_type;

-- Outcomes counted by topic, month of the event and kind. An outcome with several topics counts
-- once under each; an outcome with no topic counts under topic NULL; undated events under month NULL.
CREATE OR REPLACE VIEW outcomes_by_topic AS
WITH tagged AS (
    SELECT o.outcome_id, o.event_id, o.kind, t.topic,
           CAST(date_trunc('month', m.start_date) AS DATE) AS month
    FROM outcomes o
    JOIN meetings m USING (event_id)
    LEFT JOIN LATERAL (SELECT unnest(CASE WHEN len(o.topics) = 0 THEN [NULL::VARCHAR] ELSE o.topics END) AS topic) t ON true
)
SELECT
    topic,
    month,
    kind,
    count(*) AS n_outcomes,
    count(DISTINCT event_id) AS n_events,
    list(DISTINCT event_id ORDER BY event_id) AS event_ids
FROM tagged
GROUP BY topic, month, kind
ORDER BY topic NULLS LAST, month NULLS LAST, kind;

-- Per publishing site (NULL = site unknown): what it contributed, and which events only it reports.
CREATE OR REPLACE VIEW source_coverage AS
WITH event_sites AS (
    SELECT x.event_id, a.site, count(DISTINCT x.mention_id) AS n_mentions
    FROM mentions x JOIN articles a USING (article_id)
    GROUP BY x.event_id, a.site
),
exclusive AS (
    SELECT event_id FROM event_sites GROUP BY event_id HAVING count(*) = 1
),
totals AS (SELECT count(*) AS n_all_events FROM meetings)
SELECT
    s.site,
    (SELECT count(*) FROM articles a WHERE a.site IS NOT DISTINCT FROM s.site) AS n_articles,
    (SELECT count(DISTINCT x.article_id) FROM mentions x JOIN articles a USING (article_id)
     WHERE a.site IS NOT DISTINCT FROM s.site) AS n_articles_with_events,
    CAST(coalesce(sum(es.n_mentions), 0) AS BIGINT) AS n_mentions,
    count(es.event_id) AS n_events,
    count(ex.event_id) AS n_exclusive_events,
    CASE WHEN count(es.event_id) = 0 THEN NULL
         ELSE round(count(ex.event_id) / count(es.event_id), 4) END AS exclusive_share,
    CASE WHEN any_value(t.n_all_events) = 0 THEN NULL
         ELSE round(count(ex.event_id) / any_value(t.n_all_events), 4) END AS share_of_all_events,
    (SELECT min(a.published_at) FROM articles a WHERE a.site IS NOT DISTINCT FROM s.site) AS first_published_at,
    (SELECT max(a.published_at) FROM articles a WHERE a.site IS NOT DISTINCT FROM s.site) AS last_published_at
FROM (SELECT DISTINCT site FROM articles) s
LEFT JOIN event_sites es ON es.site IS NOT DISTINCT FROM s.site
LEFT JOIN exclusive ex ON ex.event_id = es.event_id
CROSS JOIN totals t
GROUP BY s.site
ORDER BY n_events DESC, s.site NULLS LAST;

-- Instances of a meeting series (ssc = the 2+2, edd, dicas, ...), numbered in date order.
-- Only dated instances that were not cancelled get a number; the rest are listed with number NULL.
CREATE OR REPLACE VIEW meeting_series AS
WITH instances AS (
    SELECT m.*, (m.start_date IS NOT NULL AND m.status <> 'cancelled') AS numbered
    FROM meetings m WHERE m.series IS NOT NULL
),
numbered AS (
    SELECT event_id,
           row_number() OVER (PARTITION BY series ORDER BY start_date, end_date, event_id) AS series_number
    FROM instances WHERE numbered
)
SELECT
    i.series,
    n.series_number,
    i.event_id,
    i.event_type,
    i.start_date,
    i.end_date,
    i.status,
    i.medium,
    i.title_ja,
    i.title_en,
    i.location,
    coalesce((SELECT string_agg(coalesce(p.name_ja, p.name_en), '、' ORDER BY p.country, p.person_key)
              FROM participants p WHERE p.event_id = i.event_id), '') AS participants,
    (SELECT count(*) FROM outcomes o WHERE o.event_id = i.event_id) AS n_outcomes,
    CASE WHEN i.numbered THEN lag(i.event_id) OVER w END AS previous_event_id,
    CASE WHEN i.numbered THEN lead(i.event_id) OVER w END AS next_event_id,
    CASE WHEN i.numbered THEN i.start_date - lag(i.start_date) OVER w END AS days_since_previous
FROM instances i
LEFT JOIN numbered n USING (event_id)
WINDOW w AS (PARTITION BY i.series, i.numbered ORDER BY i.start_date, i.end_date, i.event_id)
ORDER BY i.series, n.series_number NULLS LAST, i.event_id;
