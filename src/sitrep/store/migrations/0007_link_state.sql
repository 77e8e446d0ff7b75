-- What lets `sitrep link` relink only where the store changed (sitrep.link.incremental):
-- per article, what the last link read of it (its stamp, so that a replaced article is
-- seen; its lead's and its incidents' word ids, so that the words of what is replaced can
-- be taken off the counts), and per word how many incidents' evidence (kind 0) and how many
-- articles' leads (kind 1) hold it, so that the rows a relink rescores are weighted as a full
-- link weights them. Written whole by a full link, row by row by an incremental one; meta
-- 'link_state_links' says which saved links it describes (Store's 'links_saved_at').
CREATE TABLE link_state_articles (
    article_pk BIGINT PRIMARY KEY,
    stamp TEXT NOT NULL,
    lead TEXT NOT NULL,
    evidence TEXT NOT NULL
);
CREATE TABLE link_state_words (
    kind INTEGER NOT NULL,
    word BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (kind, word)
);

-- The articles replaced since (Store.add writes one row each time it replaces one), so that a
-- relink finds them without comparing every article's stamp; new articles are those above
-- the highest key the state holds (meta 'link_state_top'). A link clears what it has read.
CREATE TABLE link_state_replaced (
    seq {pk},
    article_pk BIGINT NOT NULL
);
