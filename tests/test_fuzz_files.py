"""The hostile-file generators keep to their own limits for any draw: every file stays under `MAX_FILE`.

The fuzzing tests take a file's size as a precondition, so a generator that outgrows it fails a test that
has nothing to do with the loader. These tests drive the generators with their largest draws.
"""

from __future__ import annotations

import random

import fuzz_files
import pytest
from fuzz_files import MAX_FILE


class Steered(random.Random):
    """Answers `randrange` (and so `randint` and `fuzz_files.pick`) from `draws` in order, then at random."""

    def __init__(self, *draws: int):
        super().__init__(0)
        self.draws = list(draws)

    def randrange(self, start, stop=None, step=1):
        return self.draws.pop(0) if self.draws else super().randrange(start, stop, step)


class Largest(random.Random):
    """Every size drawn with `randint` (or a two-argument `randrange`) at its largest; choices made with a
    one-argument `randrange`, as `fuzz_files.pick` makes them, at random."""

    def randrange(self, start, stop=None, step=1):
        if stop is None:
            return super().randrange(start)
        return stop - 1


def raw_size(parts) -> int:
    return sum(len(content) for content in parts)


def filler(size: int) -> bytes:
    """Bytes deflate cannot shrink, standing for a plan that already holds that much."""
    return random.Random(size).randbytes(size)


def test_ten_thousand_rows_duplicated_fifty_times_stay_under_the_limit():
    plan = fuzz_files.Plan()
    rows = Steered(0, 1)  # feat_many_cells: "rows", 10,000 of them
    assert fuzz_files.feat_many_cells(rows, plan).endswith(" rows")
    duplicated = Steered(2, 50)  # feat_row_order: "duplicated", 50 more copies
    assert fuzz_files.feat_row_order(duplicated, plan) == "rows duplicated"
    assert len(plan.rows) > 2000
    assert len(plan.build()) < MAX_FILE


FEATURES = sorted({*fuzz_files.SHEET_FEATURES}, key=lambda f: f.__name__)
ODS_FEATURES = sorted({*fuzz_files.ODS_FEATURES, fuzz_files.odsfeat_heavy}, key=lambda f: f.__name__)


@pytest.mark.parametrize("feature", FEATURES, ids=[f.__name__ for f in FEATURES])
def test_sheet_features_on_a_plan_already_holding_700_kb_stay_under_the_limit(feature):
    for seed in range(6):
        rng = Largest(seed)
        plan = fuzz_files.Plan()
        plan.rows.append(filler(700 << 10))
        others = [fuzz_files.pick(rng, fuzz_files.SHEET_FEATURES) for _ in range(2)]
        told = [f(rng, plan) for f in (feature, *others)]
        assert len(plan.build()) < MAX_FILE, told


@pytest.mark.parametrize("feature", FEATURES, ids=[f.__name__ for f in FEATURES])
def test_sheet_features_on_a_full_plan_add_at_most_small_each(feature):
    for seed in range(4):
        rng = Largest(seed)
        plan = fuzz_files.Plan()
        plan.rows.append(filler(fuzz_files.BUDGET - raw_size(plan.parts().values())))
        others = [fuzz_files.pick(rng, fuzz_files.SHEET_FEATURES) for _ in range(2)]
        for f in (feature, *others):
            before = raw_size(plan.parts().values())
            told = f(rng, plan)
            assert raw_size(plan.parts().values()) - before <= fuzz_files.SMALL, told
        assert raw_size(plan.parts().values()) <= fuzz_files.RAW_LIMIT


@pytest.mark.parametrize("feature", ODS_FEATURES, ids=[f.__name__ for f in ODS_FEATURES])
def test_ods_features_on_a_plan_already_holding_700_kb_stay_under_the_limit(feature):
    for seed in range(6):
        rng = Largest(seed)
        plan = fuzz_files.OdsPlan()
        plan.rows.append(filler(700 << 10))
        others = [fuzz_files.pick(rng, fuzz_files.ODS_FEATURES) for _ in range(2)]
        told = [f(rng, plan) for f in (feature, *others, fuzz_files.odsfeat_heavy)]
        assert len(plan.build()) < MAX_FILE, told


@pytest.mark.parametrize("feature", ODS_FEATURES, ids=[f.__name__ for f in ODS_FEATURES])
def test_ods_features_on_a_full_plan_add_at_most_small_each(feature):
    for seed in range(4):
        rng = Largest(seed)
        plan = fuzz_files.OdsPlan()
        plan.rows.append(filler(fuzz_files.BUDGET - raw_size(c for _, c in plan.parts())))
        others = [fuzz_files.pick(rng, fuzz_files.ODS_FEATURES) for _ in range(2)]
        for f in (feature, *others, fuzz_files.odsfeat_heavy):
            before = raw_size(c for _, c in plan.parts())
            told = f(rng, plan)
            assert raw_size(c for _, c in plan.parts()) - before <= fuzz_files.SMALL, told
        assert raw_size(c for _, c in plan.parts()) <= fuzz_files.RAW_LIMIT


def test_plans_holding_raw_limit_of_bytes_deflate_cannot_shrink_still_zip_under_the_limit():
    plan, ods = fuzz_files.Plan(), fuzz_files.OdsPlan()
    plan.shared = [b"<si><t>x</t></si>"]
    plan.rows.append(filler(fuzz_files.RAW_LIMIT - raw_size(plan.parts().values())))
    ods.rows.append(filler(fuzz_files.RAW_LIMIT - raw_size(c for _, c in ods.parts())))
    assert raw_size(plan.parts().values()) == raw_size(c for _, c in ods.parts()) == fuzz_files.RAW_LIMIT
    assert len(plan.build()) < MAX_FILE and len(ods.build()) < MAX_FILE


GENERATORS = [generator for family in fuzz_files.FAMILIES.values() for _, generator in family]


@pytest.mark.parametrize("generator", GENERATORS, ids=[g.__name__ for g in GENERATORS])
def test_every_generator_at_its_largest_draws_stays_under_the_limit(generator):
    for seed in range(12):
        case = generator(Largest(seed))
        assert len(case.data) < MAX_FILE, case.how[:300]
