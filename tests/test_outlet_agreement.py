"""An outlet's agreement comes with how far to trust it: a 95% interval and a mark when it
rests on few figures, so that 1 of 1 does not read as a 100% record."""
import pytest

from sitrep.incident_index import FEW_FIGURES, agreement


def test_one_figure_is_a_hint_not_a_rate():
    a = agreement(1, 1)
    assert a["agreement"] == 1.0 and a["few_figures"] is True
    assert a["agreement_high"] == 1.0 and a["agreement_low"] < 0.25  # Wilson: 1 of 1 says little


def test_many_figures_narrow_the_interval():
    few, many = agreement(4, 5), agreement(80, 100)
    assert few["agreement"] == 0.8 == many["agreement"]
    assert many["few_figures"] is False and few["few_figures"] is True
    assert many["agreement_high"] - many["agreement_low"] < (few["agreement_high"] - few["agreement_low"]) / 2
    assert many["agreement_low"] == pytest.approx(0.711, abs=0.001)  # Wilson's, by hand: 0.7112


def test_the_threshold_and_no_figure():
    assert agreement(FEW_FIGURES - 1, FEW_FIGURES)["few_figures"] is False
    assert agreement(0, FEW_FIGURES - 1)["few_figures"] is True
    assert agreement(0, 0) == {"agreement": None, "agreement_low": None, "agreement_high": None,
                               "few_figures": True}
