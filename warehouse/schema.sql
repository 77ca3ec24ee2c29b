-- timeline warehouse: the single source of truth for table and column names.
-- Every timestamp is TIMESTAMPTZ (UTC instant); event dates are DATE, local at the venue
-- (calls and video meetings with Japan as a party are dated in Japan time).
-- No foreign keys (DuckDB upserts break on FKs to tables with LIST columns);
-- relationships are checked as data tests instead.
-- Write disposition: articles and rejects are merged on their key; mentions are replaced per
-- article; meetings, participants and outcomes are recomputed from all mentions on each load.

CREATE TABLE IF NOT EXISTS articles (
    article_id          VARCHAR PRIMARY KEY,   -- first 16 hex of content_sha256
    source_uri          VARCHAR NOT NULL,      -- path or URL as given
    site                VARCHAR,               -- publishing site, null if unknown
    title               VARCHAR,
    language            VARCHAR NOT NULL,      -- ja | en
    published_at        TIMESTAMPTZ,           -- page publication time, null if unknown
    published_at_source VARCHAR,               -- the text the publication time was read from
    content_sha256      VARCHAR NOT NULL,      -- sha256 of the stored text (UTF-8)
    text                VARCHAR NOT NULL,      -- the article text as stored; spans index into it
    n_chars             INTEGER NOT NULL,
    extractor_version   VARCHAR NOT NULL,
    ingested_at         TIMESTAMPTZ NOT NULL   -- first time this content was stored
);

CREATE TABLE IF NOT EXISTS mention_records (
    record_id         VARCHAR PRIMARY KEY,     -- EventMention.mention_id: one article's report of one event
    article_id        VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    payload           JSON NOT NULL            -- the validated EventMention, for recomputing events
);

-- One row per sentence that reports an event (the main evidence and the supporting sentences).
CREATE TABLE IF NOT EXISTS mentions (
    mention_id      VARCHAR PRIMARY KEY,
    record_id       VARCHAR NOT NULL,          -- the EventMention this sentence belongs to
    article_id      VARCHAR NOT NULL,
    event_id        VARCHAR NOT NULL,          -- the canonical event this mention joined
    event_type      VARCHAR NOT NULL,
    medium          VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,
    start_date      DATE,
    end_date        DATE,
    date_precision  VARCHAR NOT NULL,
    start_time      TIME,                      -- local at the venue
    duration_minutes INTEGER,
    location        VARCHAR,
    title           VARCHAR,                   -- the event's name as the text writes it
    evidence        VARCHAR NOT NULL,          -- the sentence, sliced from articles.text
    char_start      INTEGER NOT NULL,          -- [char_start, char_end) into articles.text
    char_end        INTEGER NOT NULL,
    rule            VARCHAR NOT NULL,          -- the rule that produced the mention
    is_main         BOOLEAN NOT NULL,          -- the main evidence sentence of its EventMention
    confidence      DOUBLE NOT NULL            -- in [0, 1]
);

CREATE TABLE IF NOT EXISTS meetings (
    event_id          VARCHAR PRIMARY KEY,
    event_type        VARCHAR NOT NULL,
    medium            VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,
    title_ja          VARCHAR,
    title_en          VARCHAR,
    start_date        DATE,
    end_date          DATE,
    date_precision    VARCHAR NOT NULL,
    start_time        TIME,
    duration_minutes  INTEGER,
    location          VARCHAR,
    n_mentions        INTEGER NOT NULL,
    n_articles        INTEGER NOT NULL,
    n_sources         INTEGER NOT NULL,        -- distinct sites
    confidence        DOUBLE NOT NULL,
    series            VARCHAR                  -- meeting series key (ssc = 2+2, edd, dicas, ...), null if none
);

CREATE TABLE IF NOT EXISTS participants (
    event_id      VARCHAR NOT NULL,
    person_key    VARCHAR NOT NULL,            -- person_id, or a normalised name when unregistered
    person_id     VARCHAR,                     -- registry id, null if not in the registry
    name_ja       VARCHAR,
    name_en       VARCHAR,
    title         VARCHAR,
    organization  VARCHAR,
    country       VARCHAR,                     -- ISO 3166 alpha-2
    role          VARCHAR NOT NULL,            -- attendee | co_chair | host | guest
    article_id    VARCHAR NOT NULL,            -- first supporting evidence
    char_start    INTEGER NOT NULL,
    char_end      INTEGER NOT NULL,
    rule          VARCHAR NOT NULL,
    n_articles    INTEGER NOT NULL,            -- articles that name this person for the event
    PRIMARY KEY (event_id, person_key)
);

CREATE TABLE IF NOT EXISTS outcomes (
    outcome_id  VARCHAR PRIMARY KEY,
    event_id    VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    text        VARCHAR NOT NULL,              -- the clause, in the article's language
    topics      VARCHAR[] NOT NULL,
    article_id  VARCHAR NOT NULL,
    char_start  INTEGER NOT NULL,              -- span of text in articles.text
    char_end    INTEGER NOT NULL,
    rule        VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS rejects (
    reject_id    VARCHAR PRIMARY KEY,
    source_uri   VARCHAR NOT NULL,
    stage        VARCHAR NOT NULL,             -- ingest | extract | validate | load
    reason       VARCHAR NOT NULL,             -- short machine-readable reason
    detail       VARCHAR,                      -- what a person needs to fix it
    rejected_at  TIMESTAMPTZ NOT NULL
);

-- Which source names point at which stored content: the same article under two names is stored
-- once with both names here; a source whose content changed points at the new article.
CREATE TABLE IF NOT EXISTS article_sources (
    source_uri  VARCHAR PRIMARY KEY,
    article_id  VARCHAR NOT NULL
);

-- Audit of deduplication: every comparison of two reports, merged or kept apart, and why.
CREATE TABLE IF NOT EXISTS dedupe_decisions (
    record_a  VARCHAR NOT NULL,               -- mention_records.record_id (the smaller id)
    record_b  VARCHAR NOT NULL,
    merged    BOOLEAN NOT NULL,
    rule      VARCHAR NOT NULL,               -- e.g. dates_overlap+people, medium_differs, dates_apart
    score     DOUBLE NOT NULL,                -- in [0, 1]
    PRIMARY KEY (record_a, record_b)
);

-- Event ids that no longer exist (merged into another event, split, or retracted) and where
-- they went; resolve an old id by following new_event_id.
CREATE TABLE IF NOT EXISTS event_redirects (
    old_event_id  VARCHAR PRIMARY KEY,
    new_event_id  VARCHAR,                    -- null when every report of the event was retracted
    reason        VARCHAR NOT NULL            -- merged | split | rekeyed | replaced (source content changed) | retracted
);

-- One row per flow run: what it saw and what it changed. Every source is accounted for:
-- sources_seen = articles_new + articles_unchanged + articles_failed, and
-- rejects = articles_failed + rejects_extract. Written in the load transaction (status
-- completed), or alone when the load fails (status failed).
CREATE TABLE IF NOT EXISTS runs (
    run_id              VARCHAR PRIMARY KEY,   -- the Prefect flow run id, else a random id
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ NOT NULL,  -- when the load committed (or failed)
    flow_run_id         VARCHAR,               -- Prefect flow run id, null outside Prefect
    sources_seen        INTEGER NOT NULL,      -- article sources: files, pages, feed entries, plus specs that named nothing
    articles_new        INTEGER NOT NULL,      -- sources whose content was extracted in this run
    articles_unchanged  INTEGER NOT NULL,      -- sources whose content was already stored (or answered 304)
    articles_failed     INTEGER NOT NULL,      -- sources rejected before extraction (one reject each)
    mentions            INTEGER NOT NULL,      -- event mentions extracted and validated in this run
    events_created      INTEGER NOT NULL,
    events_updated      INTEGER NOT NULL,      -- events that existed before and changed
    rejects             INTEGER NOT NULL,      -- rejects recorded by this run
    status              VARCHAR NOT NULL,      -- completed | failed
    rejects_extract     INTEGER NOT NULL DEFAULT 0,  -- rejects at the extract and validate stages
    requests            INTEGER NOT NULL DEFAULT 0,  -- HTTP requests sent (every attempt and redirect hop)
    task_runner         VARCHAR,               -- default | dask
    sources             VARCHAR[]              -- the source specs as given
);

-- Fetch cache (timeline/sources.py): validators of the last successful fetch of each URL, for
-- conditional requests, and of the last read of each local file (its stat), to skip it while
-- unchanged; only content the warehouse holds is listed.
CREATE TABLE IF NOT EXISTS fetch_cache (
    url             VARCHAR PRIMARY KEY,       -- the URL as given (or as a feed listed it), or a file's path
    etag            VARCHAR,                   -- ETag the server sent, null if none; a file: file:<size>:<mtime_ns>:<inode>
    last_modified   VARCHAR,                   -- Last-Modified the server sent (HTTP date), null if none
    content_sha256  VARCHAR,                   -- article page: sha256 of the stored text; feed: of the feed body
    fetched_at      TIMESTAMPTZ NOT NULL,      -- last time the URL was fetched or confirmed unchanged
    entries         VARCHAR[]                  -- feed: its entry links; null for an article page
);

-- Additive migrations: bring a warehouse created by an older schema up to date (no-ops on new ones).
ALTER TABLE meetings ADD COLUMN IF NOT EXISTS series VARCHAR;
