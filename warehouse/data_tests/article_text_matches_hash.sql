-- An article's id and hash are those of its text, and n_chars is its length.
SELECT article_id
FROM articles
WHERE content_sha256 <> sha256(text) OR article_id <> left(content_sha256, 16) OR n_chars <> length(text)
