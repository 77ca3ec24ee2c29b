-- Every participant's evidence span is a non-empty range inside its article's text.
SELECT p.event_id, p.person_key, p.article_id, p.char_start, p.char_end
FROM participants p JOIN articles a USING (article_id)
WHERE p.char_start < 0 OR p.char_end <= p.char_start OR p.char_end > a.n_chars
