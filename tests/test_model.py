import pickle

from builders import dataset

from unionstats.contract import registry
from unionstats.intake.model import Dataset


def test_every_kind_has_a_typed_frame_even_when_empty():
    empty = Dataset()
    for sheet in registry.sheets():
        frame = empty.frame(sheet.key)
        assert len(frame) == 0 and str(frame["date"].dtype) == "datetime64[us]"
    assert "award_name" in empty.competitions and "award_name" not in empty.events


def test_frames_are_reached_by_key_or_attribute_and_set_either_way():
    data = Dataset()
    one = dataset(visits=[{"date": "2024-05-01", "reason": "结婚", "count": 2, "unit": "甲"}]).visits
    data.visits = one
    assert data.frame("visits") is one and data.tables["visits"] is one
    assert data.row_count == 1


def test_combine_keeps_every_row_report_and_source():
    first = dataset(events=[{"date": "2024-01-01", "name": "甲", "participants": 3, "unit": "甲"}], members={"甲": 9})
    second = dataset(events=[{"date": "2024-04-01", "name": "乙", "participants": 4, "unit": "乙"}], members={"乙": 5})
    first.sources, second.sources = ["a.xlsx"], ["b.xlsx"]
    merged = Dataset.combine([first, second])
    assert merged.events["participants"].tolist() == [3, 4]
    assert merged.members() == {"甲": 9, "乙": 5} and merged.sources == ["a.xlsx", "b.xlsx"]
    assert Dataset.combine([first]) is first


def test_a_dataset_survives_pickling():
    data = dataset(events=[{"date": "2024-01-01", "name": "甲", "participants": 3, "unit": "甲"}])
    back = pickle.loads(pickle.dumps(data))
    assert back.events["participants"].tolist() == [3] and len(back.visits) == 0
