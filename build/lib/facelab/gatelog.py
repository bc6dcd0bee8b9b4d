"""Experiment 4: how few gate-log entries single out one resident?

A toy residential compound. Each synthetic resident has habits: a usual gate
(used four times in five) and usual times to leave in the morning and come
back in the evening, with some day-to-day spread. Four weeks of gate passes
are logged as (day, time slot, gate). No names and no faces are in the log.

The question: if someone knows ``k`` of a resident's entries (say, from
seeing them at the gate a few times), how often do those ``k`` points fit
exactly one resident in the whole log?

What the model leaves out: households that move together, visitors, changing
routines, and gates that log a face or card number (which identify directly).
The habits are drawn at random, so the numbers show the effect, not the
uniqueness of any real compound.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["make_log", "unicity", "unicity_table"]

N_GATES = 4
DAYS = 28


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def make_log(n_residents: int = 1000, *, days: int = DAYS, slot_minutes: int = 60, seed=0) -> np.ndarray:
    """Return a boolean log, shape ``(n_residents, days, slots_per_day, N_GATES)``.

    ``log[r, d, s, g]`` is True if resident ``r`` passed gate ``g`` in time
    slot ``s`` of day ``d``. Each resident leaves once and returns once on
    nine days in ten.
    """
    if int(n_residents) != n_residents or n_residents < 1:
        raise ValueError(f"n_residents must be a whole number of at least 1, got {n_residents!r}")
    if slot_minutes <= 0 or (24 * 60) % slot_minutes:
        raise ValueError(f"slot_minutes must divide a day evenly, got {slot_minutes!r}")
    rng = _rng(seed)
    n = int(n_residents)
    slots = 24 * 60 // slot_minutes
    log = np.zeros((n, days, slots, N_GATES), dtype=bool)
    home_gate = rng.integers(0, N_GATES, size=n)
    leave = rng.uniform(6.0, 10.0, size=n)  # usual hour to leave
    back = rng.uniform(16.0, 22.0, size=n)  # usual hour to return
    for usual in (leave, back):
        hours = usual[:, None] + rng.normal(0.0, 0.75, size=(n, days))
        slot = np.clip((hours * 60 // slot_minutes).astype(int), 0, slots - 1)
        gate = np.where(rng.random((n, days)) < 0.8, home_gate[:, None], rng.integers(0, N_GATES, (n, days)))
        present = rng.random((n, days)) < 0.9
        r, d = np.nonzero(present)
        log[r, d, slot[r, d], gate[r, d]] = True
    return log


def unicity(log: np.ndarray, k: int, *, n_targets: int = 300, seed=1) -> float:
    """Share of residents singled out by ``k`` of their own log entries, drawn at random."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k!r}")
    rng = _rng(seed)
    flat = log.reshape(log.shape[0], -1)
    counts = flat.sum(axis=1)
    candidates = np.nonzero(counts >= k)[0]
    targets = rng.choice(candidates, size=min(n_targets, len(candidates)), replace=False)
    unique = 0
    for t in targets:
        points = rng.choice(np.nonzero(flat[t])[0], size=k, replace=False)
        matches = flat[:, points].all(axis=1).sum()
        unique += int(matches == 1)
    return unique / len(targets)


def unicity_table(
    ks: Iterable[int] = (1, 2, 3, 4), *, n_residents: int = 1000, slot_minutes: Iterable[int] = (60, 15), seed: int = 0
) -> str:
    """Plain-text table: share of residents singled out by k entries, per time resolution."""
    ks = tuple(ks)
    slot_minutes = tuple(slot_minutes)
    cols = {m: make_log(n_residents, slot_minutes=m, seed=seed) for m in slot_minutes}
    header = "entries known  " + "  ".join(f"{m:>3}-min slots" for m in slot_minutes)
    lines = [header]
    for k in ks:
        cells = "  ".join(f"{unicity(cols[m], k, seed=seed + 1):>13.2f}" for m in slot_minutes)
        lines.append(f"{k:>13}  {cells}")
    return "\n".join(lines)
