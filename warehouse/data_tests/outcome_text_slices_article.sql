-- Every outcome's text is exactly articles.text[char_start:char_end] (code points), inside the text.
SELECT o.outcome_id, o.article_id, o.char_start, o.char_end
FROM outcomes o JOIN articles a USING (article_id)
WHERE o.char_start < 0 OR o.char_end <= o.char_start OR o.char_end > a.n_chars
   OR substring(a.text, o.char_start + 1, o.char_end - o.char_start) IS DISTINCT FROM o.text
