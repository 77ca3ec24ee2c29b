-- The timeline mart has exactly one row per event, with its outcome count.
SELECT coalesce(m.event_id, t.event_id) AS event_id, t.n_outcomes
FROM meetings m FULL JOIN timeline t USING (event_id)
WHERE m.event_id IS NULL OR t.event_id IS NULL
   OR t.n_outcomes <> (SELECT count(*) FROM outcomes o WHERE o.event_id = m.event_id)
