-- Every mention's evidence is exactly articles.text[char_start:char_end] (code points), inside the text.
SELECT x.mention_id, x.article_id, x.char_start, x.char_end
FROM mentions x JOIN articles a USING (article_id)
WHERE x.char_start < 0 OR x.char_end <= x.char_start OR x.char_end > a.n_chars
   OR substring(a.text, x.char_start + 1, x.char_end - x.char_start) IS DISTINCT FROM x.evidence
