"""Articles run in turns so that their parses make one batch (extract/parse_batches.py)."""
from pathlib import Path

from sitrep.extract.parse_batches import parse_texts, run_in_turns
from sitrep.extract.pipeline import Pipeline
from sitrep.ingest import IngestError, read_inputs


class Recorder:
    """A parser that records the batches it is given; a text "bad" fails its batch."""

    def __init__(self):
        self.batches = []

    def pipe(self, texts):
        texts = list(texts)
        self.batches.append(texts)
        if "bad" in texts:
            raise ValueError("cannot parse")
        return [t.upper() for t in texts]


def test_asks_of_all_articles_make_one_batch_and_each_gets_its_own_answer():
    nlp = Recorder()

    def job(i):
        first = parse_texts(nlp, [f"a{i}", f"b{i}"])
        second = parse_texts(nlp, [f"c{i}"]) if i % 2 else []
        return first + second

    got = run_in_turns([lambda i=i: job(i) for i in range(4)])
    assert got == [["A0", "B0"], ["A1", "B1", "C1"], ["A2", "B2"], ["A3", "B3", "C3"]]
    assert nlp.batches == [["a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3"], ["c1", "c3"]]


def test_a_failing_article_fails_alone():
    nlp = Recorder()

    def boom():
        raise RuntimeError("broken article")

    got = run_in_turns([lambda: parse_texts(nlp, ["x"]), boom, lambda: parse_texts(nlp, ["bad"]),
                        lambda: parse_texts(nlp, ["y"])])
    assert got[0] == ["X"] and got[3] == ["Y"]
    assert isinstance(got[1], RuntimeError) and isinstance(got[2], ValueError)


def test_outside_turns_a_parse_is_made_at_once():
    nlp = Recorder()
    assert parse_texts(nlp, ["q"]) == ["Q"] and nlp.batches == [["q"]]


def test_records_in_a_batch_are_those_of_each_article_alone():
    samples = Path(__file__).resolve().parents[1] / "samples"
    articles = [a for a in read_inputs([str(samples)]) if not isinstance(a, IngestError)]
    pipeline = Pipeline()
    together = [r.to_dict() for _, r in pipeline.pipe(articles, batch_size=len(articles))]
    alone = [pipeline(a).to_dict() for a in articles]
    assert together == alone
