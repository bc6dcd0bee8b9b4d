"""Experiment 1: are "feature points" face data?

A toy model of facial landmarks. Every synthetic person has a stable face
shape: 84 two-dimensional points (jaw, brows, eyes, nose, mouth), echoing the
"more than 80 collection points per face" claim. Every capture of that person
adds its own measurement noise and its own pose (an in-plane rotation, a
change of scale and a shift). Captures are put back into a common frame by
Procrustes (similarity) alignment, and people are identified by nearest
neighbour.

What the model leaves out, on purpose:

* real faces are three-dimensional; head turns (yaw, pitch), expressions,
  ageing and lighting are not modelled;
* each person's deviation from the mean face is independent random jitter per
  point, which is simpler than the correlated variation of real faces;
* the landmark detector is perfect apart from Gaussian noise.

So the numbers are not the accuracy of any real system. What the model does
show is the direction of the effects: points alone can single people out,
fewer points (a mask) single them out less well, and every method gets worse
as the gallery of candidates grows.

Everything is synthetic and seeded: the same arguments give the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

__all__ = [
    "N_LANDMARKS",
    "REGIONS",
    "UPPER_FACE",
    "mean_shape",
    "region_indices",
    "make_population",
    "capture",
    "align",
    "nearest_neighbour",
    "rank1_accuracy",
    "accuracy_curve",
    "accuracy_table",
]

#: Default gallery sizes for the accuracy curve.
DEFAULT_GALLERY_SIZES = (10, 30, 100, 300, 1000)


def _arc(cx, cy, rx, ry, start, stop, n, *, endpoint=True):
    t = np.linspace(start, stop, n, endpoint=endpoint)
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def _build_mean_shape() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Return the 84-point mean face and the index of each region."""
    parts = {
        # 21 points along the jaw, ear to ear through the chin.
        "jaw": _arc(0.0, 0.2, 1.0, 1.4, np.pi + 0.1, 2 * np.pi - 0.1, 21),
        # 7 points per eyebrow.
        "right_brow": _arc(-0.45, 0.62, 0.3, 0.12, 0.15 * np.pi, 0.85 * np.pi, 7),
        "left_brow": _arc(0.45, 0.62, 0.3, 0.12, 0.15 * np.pi, 0.85 * np.pi, 7),
        # 8 points around each eye.
        "right_eye": _arc(-0.45, 0.42, 0.2, 0.08, 0.0, 2 * np.pi, 8, endpoint=False),
        "left_eye": _arc(0.45, 0.42, 0.2, 0.08, 0.0, 2 * np.pi, 8, endpoint=False),
        # 5 points down the nose bridge, 8 around the nose tip and nostrils.
        "nose_bridge": np.column_stack([np.zeros(5), np.linspace(0.42, 0.02, 5)]),
        "nose_tip": _arc(0.0, -0.05, 0.22, 0.12, 1.1 * np.pi, 1.9 * np.pi, 8),
        # 12 points around the outer lips, 8 around the inner lips.
        "outer_lips": _arc(0.0, -0.62, 0.38, 0.17, 0.0, 2 * np.pi, 12, endpoint=False),
        "inner_lips": _arc(0.0, -0.62, 0.24, 0.06, 0.0, 2 * np.pi, 8, endpoint=False),
    }
    regions: dict[str, np.ndarray] = {}
    start = 0
    for name, pts in parts.items():
        regions[name] = np.arange(start, start + len(pts))
        start += len(pts)
    shape = np.concatenate(list(parts.values()))
    shape.setflags(write=False)
    for idx in regions.values():
        idx.setflags(write=False)
    return shape, regions


_MEAN_SHAPE, REGIONS = _build_mean_shape()

#: Number of landmarks per face.
N_LANDMARKS = len(_MEAN_SHAPE)

#: The points a face mask leaves visible: brows, eyes and upper nose bridge.
UPPER_FACE = np.concatenate(
    [REGIONS[r] for r in ("right_brow", "left_brow", "right_eye", "left_eye", "nose_bridge")]
)
UPPER_FACE.setflags(write=False)


def mean_shape() -> np.ndarray:
    """Return a copy of the mean face: an array of shape ``(84, 2)``."""
    return _MEAN_SHAPE.copy()


def region_indices(region: str | Sequence[int] | None) -> np.ndarray:
    """Return landmark indices for ``"full"``, ``"upper"`` or a region name.

    A sequence of integers is returned unchanged (as an array).
    """
    if region is None or (isinstance(region, str) and region == "full"):
        return np.arange(N_LANDMARKS)
    if isinstance(region, str):
        if region == "upper":
            return UPPER_FACE.copy()
        if region in REGIONS:
            return REGIONS[region].copy()
        known = ", ".join(["full", "upper", *REGIONS])
        raise ValueError(f"region={region!r} is not a known region; use one of: {known}")
    idx = np.asarray(region, dtype=int)
    if idx.ndim != 1 or idx.size == 0:
        raise ValueError("region must be a non-empty 1-D sequence of landmark indices")
    if idx.min() < 0 or idx.max() >= N_LANDMARKS:
        raise ValueError(f"region indices must lie in 0..{N_LANDMARKS - 1}")
    return idx


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def make_population(n_people: int, *, identity_sd: float = 0.03, seed=0) -> np.ndarray:
    """Return the stable face shapes of ``n_people`` synthetic people.

    Each face is the mean face plus a personal deviation: independent Gaussian
    jitter with standard deviation ``identity_sd`` on every coordinate.
    The result has shape ``(n_people, 84, 2)``.
    """
    if int(n_people) != n_people or n_people < 1:
        raise ValueError(f"n_people must be a whole number of at least 1, got {n_people!r}")
    if identity_sd < 0:
        raise ValueError(f"identity_sd must be non-negative, got {identity_sd!r}")
    rng = _rng(seed)
    deviation = rng.normal(0.0, identity_sd, size=(int(n_people), N_LANDMARKS, 2))
    return _MEAN_SHAPE + deviation


def capture(
    faces: np.ndarray,
    *,
    noise: float = 0.04,
    max_rotation_deg: float = 15.0,
    scale_range: tuple[float, float] = (0.7, 1.4),
    max_shift: float = 0.5,
    seed=1,
) -> np.ndarray:
    """Return one capture of every face in ``faces``.

    A capture adds Gaussian measurement noise (standard deviation ``noise``,
    in units of the mean face, whose width is about 2) and applies a random
    pose: a rotation up to ``max_rotation_deg`` either way, a scale drawn from
    ``scale_range`` and a shift up to ``max_shift`` in each direction.
    """
    faces = np.asarray(faces, dtype=float)
    if faces.ndim != 3 or faces.shape[2] != 2:
        raise ValueError(
            f"faces must have shape (n_people, n_points, 2), got {faces.shape}"
        )
    if noise < 0:
        raise ValueError(f"noise must be non-negative, got {noise!r}")
    rng = _rng(seed)
    n = faces.shape[0]
    noisy = faces + rng.normal(0.0, noise, size=faces.shape)
    theta = np.deg2rad(rng.uniform(-max_rotation_deg, max_rotation_deg, size=n))
    scale = rng.uniform(*scale_range, size=n)
    shift = rng.uniform(-max_shift, max_shift, size=(n, 1, 2))
    cos, sin = np.cos(theta), np.sin(theta)
    rot = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
    posed = np.einsum("nij,npj->npi", rot, noisy) * scale[:, None, None]
    return posed + shift


def _as_complex(shapes: np.ndarray) -> np.ndarray:
    return shapes[..., 0] + 1j * shapes[..., 1]


def align(shapes: np.ndarray, reference: np.ndarray | None = None, region="full") -> np.ndarray:
    """Remove position, size and rotation from each shape (Procrustes alignment).

    ``shapes`` has shape ``(n, 84, 2)``. Only the landmarks of ``region`` are
    used (``"full"``, ``"upper"``, a region name or a list of indices), as a
    camera would see only those points. Each shape is centred, scaled to unit
    size and rotated to best fit ``reference`` (by default the mean face).
    Returns flat vectors, shape ``(n, 2 * k)`` for ``k`` landmarks.
    """
    shapes = np.asarray(shapes, dtype=float)
    if shapes.ndim == 2:
        shapes = shapes[None]
    if shapes.ndim != 3 or shapes.shape[1:] != (N_LANDMARKS, 2):
        raise ValueError(
            f"shapes must have shape (n, {N_LANDMARKS}, 2), got {shapes.shape}"
        )
    ref = _MEAN_SHAPE if reference is None else np.asarray(reference, dtype=float)
    if ref.shape != (N_LANDMARKS, 2):
        raise ValueError(
            f"reference must have shape ({N_LANDMARKS}, 2) to match shapes, got {ref.shape}"
        )
    idx = region_indices(region)
    z = _as_complex(shapes[:, idx, :])
    w = _as_complex(ref[idx])
    z = z - z.mean(axis=1, keepdims=True)
    w = w - w.mean()
    z = z / np.linalg.norm(z, axis=1, keepdims=True)
    # In complex form the best rotation of z onto w is the phase of <z, w>.
    a = (np.conj(z) * w).sum(axis=1, keepdims=True)
    z = z * (a / np.abs(a))
    return np.concatenate([z.real, z.imag], axis=1)


def _check_pair(gallery: np.ndarray, probes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    gallery = np.asarray(gallery, dtype=float)
    probes = np.asarray(probes, dtype=float)
    if gallery.ndim != 2 or gallery.shape[0] < 1:
        raise ValueError(
            "gallery must hold at least one enrolled vector (shape (n, d) with n >= 1), "
            f"got shape {gallery.shape}"
        )
    if probes.ndim != 2:
        raise ValueError(f"probes must have shape (m, d), got {probes.shape}")
    if gallery.shape[1] != probes.shape[1]:
        raise ValueError(
            f"gallery and probes have mismatched shapes {gallery.shape} and {probes.shape}: "
            "they must be aligned over the same landmarks"
        )
    return gallery, probes


def _squared_distances(gallery: np.ndarray, probes: np.ndarray) -> np.ndarray:
    g2 = (gallery**2).sum(axis=1)
    p2 = (probes**2).sum(axis=1)
    return p2[:, None] + g2[None, :] - 2.0 * probes @ gallery.T


def nearest_neighbour(gallery: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """Return, for each probe vector, the index of the closest gallery vector."""
    gallery, probes = _check_pair(gallery, probes)
    return _squared_distances(gallery, probes).argmin(axis=1)


def rank1_accuracy(gallery: np.ndarray, probes: np.ndarray) -> float:
    """Share of probes whose nearest gallery entry is the same person.

    Probe ``i`` and gallery entry ``i`` belong to the same person.
    """
    gallery, probes = _check_pair(gallery, probes)
    if probes.shape[0] != gallery.shape[0]:
        raise ValueError(
            f"probes ({probes.shape[0]}) and gallery ({gallery.shape[0]}) must list "
            "the same people in the same order"
        )
    hits = nearest_neighbour(gallery, probes) == np.arange(len(probes))
    return float(hits.mean())


def _check_sizes(gallery_sizes: Iterable[int]) -> tuple[int, ...]:
    sizes = tuple(gallery_sizes)
    if not sizes:
        raise ValueError("gallery_sizes must list at least one gallery size")
    for s in sizes:
        if int(s) != s or s < 1:
            raise ValueError(
                f"gallery_sizes must be whole numbers of at least 1 (a gallery smaller "
                f"than one person cannot be searched), got {s!r}"
            )
    return tuple(int(s) for s in sizes)


def accuracy_curve(
    gallery_sizes: Iterable[int] = DEFAULT_GALLERY_SIZES,
    *,
    noise: float = 0.04,
    region="full",
    identity_sd: float = 0.03,
    seed: int = 0,
) -> dict[int, float]:
    """Rank-1 identification accuracy for each gallery size.

    A population of ``max(gallery_sizes)`` people is generated once. Each
    person is enrolled from one capture and searched for with another. For a
    gallery of ``n`` people the population is cut into blocks of ``n``, each
    block is searched separately, and the hits are pooled, so every size is
    measured over (almost) the whole population.

    Returns ``{gallery_size: accuracy}`` with accuracy between 0 and 1.
    """
    sizes = _check_sizes(gallery_sizes)
    n_people = max(sizes)
    rng = np.random.default_rng(seed)
    faces = make_population(n_people, identity_sd=identity_sd, seed=rng)
    enrol = align(capture(faces, noise=noise, seed=rng), region=region)
    probe = align(capture(faces, noise=noise, seed=rng), region=region)
    d2 = _squared_distances(enrol, probe)
    result: dict[int, float] = {}
    for n in sizes:
        blocks = n_people // n
        hits = 0
        for b in range(blocks):
            sl = slice(b * n, (b + 1) * n)
            hits += int((d2[sl, sl].argmin(axis=1) == np.arange(n)).sum())
        result[n] = hits / (blocks * n)
    return result


def accuracy_table(
    gallery_sizes: Iterable[int] = DEFAULT_GALLERY_SIZES,
    *,
    noise: float = 0.04,
    identity_sd: float = 0.03,
    seed: int = 0,
) -> str:
    """A plain-text table of rank-1 accuracy, full face versus upper face."""
    sizes = _check_sizes(gallery_sizes)
    full = accuracy_curve(sizes, noise=noise, region="full", identity_sd=identity_sd, seed=seed)
    upper = accuracy_curve(sizes, noise=noise, region="upper", identity_sd=identity_sd, seed=seed)
    lines = [
        f"{'gallery':>7}  {'all 84 points':>13}  {'upper face (35)':>15}",
    ]
    for n in sizes:
        lines.append(f"{n:>7}  {full[n]:>13.2f}  {upper[n]:>15.2f}")
    return "\n".join(lines)
