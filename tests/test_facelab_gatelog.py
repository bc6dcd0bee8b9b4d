"""Tests for facelab.gatelog (experiment 4: how few gate-log entries single out a resident)."""

import pytest

from facelab.gatelog import make_log, unicity, unicity_table


def test_more_entries_single_out_more_residents():
    log = make_log(500, seed=0)
    shares = [unicity(log, k) for k in (1, 2, 3, 4)]
    assert shares == sorted(shares)
    assert shares[-1] > 0.8


def test_finer_time_stamps_single_out_more():
    assert unicity(make_log(500, slot_minutes=15), 2) > unicity(make_log(500, slot_minutes=60), 2)


def test_deterministic():
    assert unicity_table(n_residents=300) == unicity_table(n_residents=300)


def test_clear_errors():
    with pytest.raises(ValueError, match="n_residents"):
        make_log(0)
    with pytest.raises(ValueError, match="slot_minutes"):
        make_log(10, slot_minutes=7)
    with pytest.raises(ValueError, match="k must"):
        unicity(make_log(10), 0)
