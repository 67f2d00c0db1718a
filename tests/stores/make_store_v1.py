# ruff: noqa: E501
"""How tests/stores/store-v1.db was written: by the store code of commit 03f6401 (schema version 1, before the Alembic migrations).

Kept as the record of what that store holds (tests/test_database.py checks it opens intact under today's code);
running it again with today's code would write a store of today's schema, not the old one.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from workbooks import workbook_bytes  # noqa: E402

from unionstats.store.batches import Store  # noqa: E402

out = ROOT / "tests" / "stores" / "store-v1.db"
out.unlink(missing_ok=True)
store = Store(f"sqlite:///{out}")
print(store.import_path(ROOT / "data" / "sample.xlsx", user="示例数据").status)
info = {"单位信息": [["单位名称", "城南小学工会"], ["会员人数", 64]]}
head = ["日期", "活动名称", "类别", "参与人次", "支出"]
q1 = workbook_bytes({"活动": [head, ["2025-01-10", "迎新春联欢", "文体活动", 60, 1234.56], ["2025-02-20", "读书会", "学习培训", 12, 0]],
                     "慰问": [["日期", "事由", "人次", "金额", "对象"], ["2025-03-01", "住院", 2, 1000, "张三"]], **info})
q1b = workbook_bytes({"活动": [head, ["2025-01-10", "迎新春联欢", "文体活动", 62, 1234.56], ["2025-02-20", "读书会", "学习培训", 12, 0]], **info})
q2 = workbook_bytes({"活动": [head, ["2025-04-10", "春游", "参观旅游", 40, 3000], ["2025-05-01", "坏行", "文体活动", -1, 0]],
                     "捐款": [["日期", "项目", "金额", "物资件数"], ["2025-05-20", "一日捐", 5600.5, 3]], **info})
print(store.import_bytes(q1, "城南一季度.xlsx", user="clerk").status)
print(store.import_bytes(q1b, "城南一季度更正.xlsx", replace=True, user="clerk").status)
print(store.import_bytes(q2, "城南二季度.xlsx", skip_bad_rows=True, user="clerk").status)
other = workbook_bytes({"活动": [head, ["2025-06-01", "作废", "文体活动", 5, 5]], "单位信息": [["单位名称", "试验站工会"]]})
print(store.import_bytes(other, "作废.xlsx", user="clerk").status)
store.delete(5)
print(store.batches()[["id", "state", "skipped_rows"]])
