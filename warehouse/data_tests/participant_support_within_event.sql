-- A participant is named by no more articles than report the event.
SELECT p.event_id, p.person_key, p.n_articles, m.n_articles AS event_articles
FROM participants p JOIN meetings m USING (event_id)
WHERE p.n_articles > m.n_articles
