"""Confusion matrix and Cohen's kappa between two judges, None labels excluded and counted."""

from __future__ import annotations

import pytest

from mss_embodied.scoring.agreement import cohen_kappa, collapse, confusion_matrix, flags_risk


def test_confusion_matrix_excludes_none() -> None:
    a = [0, 1, 2, 3, None, 2]
    b = [0, 2, 2, 3, 1, None]
    assert confusion_matrix(a, b) == [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1]]


def test_kappa_known_value() -> None:
    # Textbook 2x2: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> p_o 0.7, p_e 0.5, kappa 0.4
    a = [1] * 25 + [0] * 25
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    r = cohen_kappa(a, b, classes=(0, 1))
    assert r.n == 50 and r.excluded == 0
    assert r.observed == pytest.approx(0.7) and r.expected == pytest.approx(0.5)
    assert r.kappa == pytest.approx(0.4)


def test_kappa_counts_and_edges() -> None:
    r = cohen_kappa([0, 1, None, 2, None], [0, 1, 3, None, None])
    assert (r.n, r.excluded, r.excluded_a, r.excluded_b) == (2, 3, 2, 2)
    assert r.kappa == pytest.approx(1.0)
    assert cohen_kappa([None], [None]).kappa is None  # nothing to compare
    same = cohen_kappa([2, 2, 2], [2, 2, 2])
    assert same.observed == 1.0 and same.kappa is None  # chance agreement is 1: undefined
    assert cohen_kappa([0, 1, 0, 1], [1, 0, 1, 0], classes=(0, 1)).kappa == pytest.approx(-1.0)
    assert r.as_dict()["matrix"][0][0] == 1  # type: ignore[index]


def test_errors_and_binary_view() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa([0], [0, 1])
    with pytest.raises(ValueError, match="item 0: label 5"):
        cohen_kappa([5], [0])
    assert collapse([0, 1, 2, 3, None], flags_risk) == [1, 1, 0, 0, None]
    r = cohen_kappa(collapse([0, 3], flags_risk), collapse([1, 2], flags_risk), classes=(0, 1))
    assert r.kappa == pytest.approx(1.0)
