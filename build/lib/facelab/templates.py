"""Experiment 2: why hashing a face does not protect it, and what does help.

A face "template" here is a synthetic feature vector: each person has a
stable random vector, and each capture adds Gaussian noise. It stands in for
the numeric faceprint a recognition model would extract; no model is used.

Two ways to store a template without storing it in the clear:

* :func:`exact_hash` quantises the template and hashes it with SHA-256, as one
  would hash a password. Two captures of the same face are never bit-for-bit
  equal, so their hashes differ and matching breaks.
* :func:`biohash` is a keyed random projection followed by binarisation, in
  the spirit of cancelable biometrics (Ratha, Connell and Bolle, 2001) and
  BioHashing (Teoh, Ngo and Goh, 2004). Each service holds its own secret key.
  Within one service genuine and impostor comparisons still separate; across
  two services with different keys the same person's codes look unrelated;
  and a leaked code is revoked by enrolling again under a new key.

What the model leaves out: real templates come from trained networks and are
not Gaussian; real schemes add error correction, liveness checks and key
management; and if an attacker steals the key as well as the code, the
protection falls back to that of the plain template.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

__all__ = [
    "make_templates",
    "quantise",
    "exact_hash",
    "biohash",
    "hamming",
    "TemplateResults",
    "template_experiment",
]

#: Decision threshold on the normalised Hamming distance used in the summary.
THRESHOLD = 0.35


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def make_templates(
    n_people: int, *, n_captures: int = 2, dim: int = 128, noise: float = 0.5, seed=0
) -> np.ndarray:
    """Return synthetic templates, shape ``(n_people, n_captures, dim)``.

    Person ``i`` has a stable vector drawn from a standard normal
    distribution; every capture adds independent noise with standard
    deviation ``noise``.
    """
    if int(n_people) != n_people or n_people < 1:
        raise ValueError(f"n_people must be a whole number of at least 1, got {n_people!r}")
    if n_captures < 1:
        raise ValueError(f"n_captures must be at least 1, got {n_captures!r}")
    if noise < 0:
        raise ValueError(f"noise must be non-negative, got {noise!r}")
    rng = _rng(seed)
    identity = rng.normal(size=(int(n_people), 1, dim))
    return identity + rng.normal(0.0, noise, size=(int(n_people), n_captures, dim))


def quantise(template: np.ndarray, step: float = 0.5) -> np.ndarray:
    """Round each value of ``template`` to a multiple of ``step`` (as integers)."""
    if step <= 0:
        raise ValueError(f"step must be positive, got {step!r}")
    return np.round(np.asarray(template, dtype=float) / step).astype("<i8")


def exact_hash(template: np.ndarray, step: float = 0.5) -> str:
    """SHA-256 of the quantised template, as a hex string (like a password hash)."""
    return hashlib.sha256(quantise(template, step).tobytes()).hexdigest()


def _projection(key: int, dim: int, n_bits: int) -> np.ndarray:
    if n_bits > dim:
        raise ValueError(f"n_bits ({n_bits}) cannot exceed the template length ({dim})")
    basis = np.random.default_rng(key).normal(size=(dim, n_bits))
    q, _ = np.linalg.qr(basis)  # orthonormal columns, as in BioHashing
    return q


def biohash(templates: np.ndarray, key: int, n_bits: int = 64) -> np.ndarray:
    """Keyed random projection and binarisation of ``templates``.

    ``key`` seeds the service's secret projection. Returns an array of 0/1
    bits (``uint8``) with the last axis of length ``n_bits``.
    """
    templates = np.asarray(templates, dtype=float)
    if templates.ndim < 1:
        raise ValueError("templates must have at least one axis")
    proj = _projection(key, templates.shape[-1], n_bits)
    return (templates @ proj > 0).astype(np.uint8)


def hamming(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Normalised Hamming distance between bit codes (0 = equal, 0.5 = chance)."""
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"a and b have mismatched shapes {a.shape} and {b.shape}")
    d = (a != b).mean(axis=-1)
    return float(d) if np.ndim(d) == 0 else d


@dataclass(frozen=True)
class TemplateResults:
    """Distances from :func:`template_experiment` (normalised Hamming distances)."""

    genuine: np.ndarray
    """Same person, same service: enrolment code versus a new capture."""
    impostor: np.ndarray
    """Different people, same service."""
    cross_service: np.ndarray
    """Same person, service A's code versus service B's code (different keys)."""
    revoked: np.ndarray
    """Same person: the leaked old code versus a new capture under the new key."""
    exact_hash_matches: float
    """Share of genuine pairs whose exact hashes were equal."""

    def rates(self, threshold: float = THRESHOLD) -> dict[str, float]:
        """Share of comparisons accepted as a match (distance below ``threshold``)."""
        return {
            "genuine": float((self.genuine < threshold).mean()),
            "impostor": float((self.impostor < threshold).mean()),
            "cross_service": float((self.cross_service < threshold).mean()),
            "revoked": float((self.revoked < threshold).mean()),
        }

    def summary(self, threshold: float = THRESHOLD) -> str:
        """A plain-text table: mean distance and acceptance rate per comparison."""
        rates = self.rates(threshold)
        rows = [
            ("same person, same service", self.genuine, rates["genuine"]),
            ("different people, same service", self.impostor, rates["impostor"]),
            ("same person, two services", self.cross_service, rates["cross_service"]),
            ("leaked code after a new key", self.revoked, rates["revoked"]),
        ]
        lines = [f"exact hashes equal for the same person: {self.exact_hash_matches:.2f}"]
        lines.append(f"{'comparison':<32} {'mean distance':>13}  {'matched':>7}")
        for label, dist, rate in rows:
            lines.append(f"{label:<32} {dist.mean():>13.2f}  {rate:>7.2f}")
        return "\n".join(lines)


def template_experiment(
    n_people: int = 200,
    *,
    noise: float = 0.5,
    n_bits: int = 64,
    step: float = 0.5,
    seed: int = 0,
) -> TemplateResults:
    """Run the hashing and BioHashing comparisons on synthetic templates.

    Each person is captured three times: the first two are enrolled at
    service A (key ``seed + 1``) and service B (key ``seed + 2``); the third
    is a fresh capture. After a leak, service A re-enrols everyone under a
    new key (``seed + 3``).
    """
    t = make_templates(n_people, n_captures=3, noise=noise, seed=seed)
    key_a, key_b, key_new = seed + 1, seed + 2, seed + 3
    enrol_a = biohash(t[:, 0], key_a, n_bits)
    fresh_a = biohash(t[:, 2], key_a, n_bits)
    enrol_b = biohash(t[:, 1], key_b, n_bits)
    fresh_new = biohash(t[:, 2], key_new, n_bits)

    genuine = hamming(enrol_a, fresh_a)
    # Impostor pairs: each person's fresh code against the next person's enrolment.
    impostor = hamming(np.roll(enrol_a, 1, axis=0), fresh_a)
    cross = hamming(enrol_a, enrol_b)
    revoked = hamming(enrol_a, fresh_new)
    hashes_equal = np.mean(
        [exact_hash(t[i, 0], step) == exact_hash(t[i, 2], step) for i in range(len(t))]
    )
    return TemplateResults(genuine, impostor, cross, revoked, float(hashes_equal))
