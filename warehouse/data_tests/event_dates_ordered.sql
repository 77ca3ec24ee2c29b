-- Dates of events and mentions: both set or both null, end not before start, precision 'unknown' exactly when undated.
SELECT 'meetings' AS relation, event_id AS id, start_date, end_date, date_precision
FROM meetings
WHERE (start_date IS NULL) <> (end_date IS NULL) OR end_date < start_date
   OR (start_date IS NULL) <> (date_precision = 'unknown')
UNION ALL
SELECT 'mentions', mention_id, start_date, end_date, date_precision
FROM mentions
WHERE (start_date IS NULL) <> (end_date IS NULL) OR end_date < start_date
   OR (start_date IS NULL) <> (date_precision = 'unknown')
