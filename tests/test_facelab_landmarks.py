"""Tests for facelab.landmarks (experiment 1: are feature points face data?)."""

import numpy as np
import pytest

from facelab import landmarks
from facelab.landmarks import (
    N_LANDMARKS,
    UPPER_FACE,
    accuracy_curve,
    accuracy_table,
    align,
    capture,
    make_population,
    nearest_neighbour,
    rank1_accuracy,
)


def test_shape_has_more_than_80_points_and_an_upper_face_subset():
    assert N_LANDMARKS == 84 > 80
    assert len(UPPER_FACE) == 35
    covered = np.concatenate(list(landmarks.REGIONS.values()))
    assert sorted(covered) == list(range(N_LANDMARKS))


def test_alignment_removes_pose():
    face = make_population(1, seed=0)
    posed = capture(face, noise=0.0, seed=5)
    assert not np.allclose(face, posed)
    assert np.allclose(align(face), align(posed))


def test_same_seed_same_numbers():
    assert accuracy_curve((10, 100), seed=3) == accuracy_curve((10, 100), seed=3)
    assert accuracy_table(seed=3) == accuracy_table(seed=3)
    assert np.array_equal(make_population(5, seed=2), make_population(5, seed=2))


def test_full_face_beats_upper_face_and_accuracy_falls_with_gallery_size():
    full = accuracy_curve(noise=0.04)
    upper = accuracy_curve(noise=0.04, region="upper")
    sizes = sorted(full)
    assert all(full[n] >= upper[n] for n in sizes)
    assert full[sizes[0]] > full[sizes[-1]]
    assert upper[sizes[0]] > upper[sizes[-1]] > 0.05  # far better than chance (1/1000)


def test_more_noise_lowers_accuracy():
    assert accuracy_curve((100,), noise=0.06)[100] < accuracy_curve((100,), noise=0.04)[100]


def test_nearest_neighbour_finds_each_person():
    faces = make_population(20, seed=0)
    a, b = align(capture(faces, noise=0.01, seed=1)), align(capture(faces, noise=0.01, seed=2))
    assert list(nearest_neighbour(a, b)) == list(range(20))
    assert rank1_accuracy(a, b) == 1.0


@pytest.mark.parametrize("sizes", [[0], [10, 0], [-5], [2.5]])
def test_gallery_smaller_than_one_is_a_clear_error(sizes):
    with pytest.raises(ValueError, match="gallery_sizes"):
        accuracy_curve(sizes)


def test_empty_gallery_array_is_a_clear_error():
    with pytest.raises(ValueError, match="gallery"):
        nearest_neighbour(np.zeros((0, 168)), np.zeros((3, 168)))


def test_mismatched_landmark_arrays_are_a_clear_error():
    with pytest.raises(ValueError, match="shapes"):
        align(np.zeros((2, 68, 2)))
    with pytest.raises(ValueError, match="reference"):
        align(np.zeros((2, 84, 2)) + 1, reference=np.zeros((68, 2)))
    with pytest.raises(ValueError, match="gallery and probes"):
        nearest_neighbour(np.zeros((3, 168)), np.zeros((3, 70)))
    with pytest.raises(ValueError, match="faces"):
        capture(np.zeros((2, 84)))


def test_unknown_region_is_a_clear_error():
    with pytest.raises(ValueError, match="region='chin'"):
        align(make_population(2), region="chin")
