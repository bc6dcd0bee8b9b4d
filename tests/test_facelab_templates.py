"""Tests for facelab.templates (experiment 2: hashing versus revocable templates)."""

import numpy as np
import pytest

from facelab.templates import biohash, exact_hash, hamming, make_templates, quantise, template_experiment


def test_exact_hash_breaks_matching():
    t = make_templates(50, n_captures=2, seed=0)
    assert all(exact_hash(p[0]) != exact_hash(p[1]) for p in t)
    assert exact_hash(t[0, 0]) == exact_hash(t[0, 0].copy())  # a hash is repeatable for identical input


def test_biohash_separates_within_service_and_unlinks_across_services():
    r = template_experiment(n_people=200, seed=0)
    rates = r.rates()
    assert r.exact_hash_matches == 0.0
    assert r.genuine.mean() < 0.3 and rates["genuine"] > 0.9
    assert abs(r.impostor.mean() - 0.5) < 0.05 and rates["impostor"] < 0.05
    assert abs(r.cross_service.mean() - 0.5) < 0.05 and rates["cross_service"] < 0.05
    assert abs(r.revoked.mean() - 0.5) < 0.05 and rates["revoked"] < 0.05


def test_deterministic():
    a, b = template_experiment(seed=4), template_experiment(seed=4)
    assert a.summary() == b.summary()
    assert np.array_equal(biohash(make_templates(3), key=9), biohash(make_templates(3), key=9))


def test_clear_errors():
    with pytest.raises(ValueError, match="n_people"):
        make_templates(0)
    with pytest.raises(ValueError, match="step"):
        quantise(np.zeros(4), step=0)
    with pytest.raises(ValueError, match="n_bits"):
        biohash(np.zeros((2, 16)), key=1, n_bits=32)
    with pytest.raises(ValueError, match="mismatched shapes"):
        hamming(np.zeros(8), np.zeros(9))
