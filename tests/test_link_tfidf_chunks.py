"""Word weights are computed a chunk of rows at a time (bounded memory on an archive's
leads); the weights are those of all rows at once, bit for bit, whatever the chunk."""
import numpy as np
import pytest

from sitrep.link.features import tfidf_chunked, tfidf_from_flat


@pytest.mark.parametrize("n, longest, vocabulary, keep", [(1000, 60, 500, 40), (3000, 130, 20000, 100), (3, 5, 4, 40), (0, 1, 1, 40)])
def test_chunked_weights_equal_whole_ones(n, longest, vocabulary, keep):
    rng = np.random.default_rng(n)
    lengths = rng.integers(0, longest, n)
    flat = rng.integers(0, vocabulary, int(lengths.sum()))
    whole = tfidf_from_flat(n, np.repeat(np.arange(n), lengths), flat, keep)
    for rows in (7, 1000, 20_000):
        chunked = tfidf_chunked(lengths, flat, keep, rows=rows)
        for a, b in zip(whole, chunked):
            assert a.dtype == b.dtype and np.array_equal(a, b)
