"""Skewed ``created`` times, as a real account has them: for slicing tests and benchmarks.

A growing business: half of the objects fall in the newest tenth of the range; imports
put hundreds of objects in a single second (``bursts``). Deterministic for a seed.
"""

from __future__ import annotations

import random

NEWEST_TENTH_SHARE = 0.5  # of the objects, in the newest tenth of the range
BURST_SHARE = 0.1  # of the objects, in a few one-second bursts


def skewed_times(count: int, *, start: int, end: int, bursts: int = 5, seed: int = 0) -> list[int]:
    """``count`` creation times in ``[start, end)``, newest first."""
    rng = random.Random(seed)
    tenth = start + (end - start) * 9 // 10
    burst_seconds = [rng.randrange(start, end) for _ in range(bursts)]
    times = []
    for _ in range(count):
        draw = rng.random()
        if bursts and draw < BURST_SHARE:
            times.append(rng.choice(burst_seconds))
        elif draw < BURST_SHARE + NEWEST_TENTH_SHARE:
            times.append(rng.randrange(tenth, end))
        else:
            times.append(rng.randrange(start, tenth))
    return sorted(times, reverse=True)


def skewed_objects(object_type: str, prefix: str, count: int, *, start: int, end: int,
                   bursts: int = 5, seed: int = 0, **fields) -> list[dict]:
    """Minimal Stripe objects (``id``, ``object``, ``created`` and ``fields``) at skewed times."""
    times = skewed_times(count, start=start, end=end, bursts=bursts, seed=seed)
    return [{"id": f"{prefix}_{n:07d}", "object": object_type, "created": created, **fields}
            for n, created in enumerate(times)]
