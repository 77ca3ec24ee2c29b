-- Numbered instances of a series run 1..n without gaps, in date order; every event with a series is listed once.
SELECT s.series, s.series_number, s.event_id
FROM meeting_series s
WHERE s.series_number IS NOT NULL AND (
      s.series_number > (SELECT count(*) FROM meeting_series t WHERE t.series = s.series AND t.series_number IS NOT NULL)
   OR EXISTS (SELECT 1 FROM meeting_series t WHERE t.series = s.series AND t.series_number < s.series_number
              AND t.start_date > s.start_date))
UNION ALL
SELECT m.series, NULL, m.event_id
FROM meetings m
WHERE m.series IS NOT NULL AND m.event_id NOT IN (SELECT event_id FROM meeting_series)
