"""sitrep.tables: a table shares the terminal's width out so that names stay whole, wraps
what does not fit, never cuts a cell, and draws wider than the terminal only when whole
words cannot fit in it."""
import pytest

from sitrep.tables import Column, allot, pick, render

COLS = [Column("id", numeric=True), Column("place"), Column("killed", numeric=True),
        Column("articles", whole_words=False)]
ROWS = [[1, "Deir ez-Zor countryside", "14 [14-32]", "syria-aleppo-2016 demo-levant-0001 demo-gulf-0001"],
        [12, "Raqqa", "2*", "9000000002"]]


def test_all_at_their_widest_when_they_fit():
    text = render(COLS, ROWS, width=200)
    assert "syria-aleppo-2016 demo-levant-0001 demo-gulf-0001" in text
    assert text.splitlines()[2].split()[0] == "1" and text.splitlines()[2].startswith(" 1")  # numbers right


@pytest.mark.parametrize("width", [60, 45])
def test_narrow_wraps_between_words_and_keeps_names_whole(width):
    text = render(COLS, ROWS, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    words = text.split()
    for word in ("Deir", "ez-Zor", "countryside", "[14-32]", "9000000002"):
        assert word in words
    assert "".join(words).count("demo-levant-0001") == 1  # an id list may break, never loses text


def test_narrower_than_its_words_it_draws_wider_rather_than_cut():
    cells = [[str(v) for v in row] for row in ROWS]
    least = allot(COLS, cells, 1)
    assert least[1] == len("countryside") and least[2] == len("[14-32]")
    text = render(COLS, ROWS, width=20)
    assert "countryside" in text.split() and max(len(line) for line in text.splitlines()) > 20


def test_notes_and_columns():
    text = render(COLS, ROWS, keep=["killed", "id"], notes=["killed N*: no total given"], width=80)
    lines = text.splitlines()
    assert lines[0].split() == ["killed", "id"] and lines[-1] == "killed N*: no total given"
    with pytest.raises(ValueError, match="no column 'deaths'; the columns: id, place, killed, articles"):
        pick(COLS, ["deaths"])


def test_cells_are_text_not_markup():
    text = render([Column("who")], [["[bold]SANA[/bold]"]], width=40)
    assert "[bold]SANA[/bold]" in text
