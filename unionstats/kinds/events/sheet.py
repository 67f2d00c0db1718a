"""活动's sheet: its columns, its categories and the words a clerk may write for them, its example row, and the
colour each category keeps on every chart."""

from __future__ import annotations

import datetime as dt

from unionstats.charts.chart import palette
from unionstats.contract.schema import (
    CATEGORY,
    INT,
    MONEY,
    NOTES,
    OTHER,
    TEXT,
    UNIT,
    Column,
    Sheet,
    _date,
)

CATEGORIES = ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益", OTHER)

COLOURS = palette(CATEGORIES)
SHEET = Sheet(
    "events", "活动", ("活动记录", "活动统计", "events"),
    "每行一次活动：节日、文体、参观、培训等，填写参与人次与支出。",
    (
        _date("活动日期"),
        Column("name", "活动名称", ("活动内容", "名称", "活动", "name"), TEXT,
               "如：三八妇女节趣味运动会", required=True, width=30),
        Column("category", "类别", ("活动类别", "类型", "category"), CATEGORY,
               "从下拉列表选择；不填或无法识别时记为「其他」",
               default=OTHER, choices=CATEGORIES,
               synonyms={
                   "文体": "文体活动", "体育": "文体活动", "文艺": "文体活动", "运动": "文体活动",
                   "节日": "节日活动", "节庆": "节日活动",
                   "参观": "参观旅游", "旅游": "参观旅游", "疗休养": "参观旅游", "春游": "参观旅游",
                   "秋游": "参观旅游",
                   "学习": "学习培训", "培训": "学习培训", "讲座": "学习培训", "读书": "学习培训",
                   "民主": "民主管理", "职代会": "民主管理", "教代会": "民主管理",
                   "志愿": "志愿公益", "公益": "志愿公益", "献血": "志愿公益",
               }, width=12),
        Column("participants", "参与人次", ("参加人次", "参与人数", "参加人数", "人次", "人数", "participants"),
               INT, "整数，不小于 0", required=True, width=11),
        Column("spending", "支出", ("经费", "费用", "金额", "支出金额", "spending"), MONEY,
               "单位：元；可写 1500、1,500、¥1500、1500元 或 0.15万元；不填记为 0", default=0.0, width=12),
        UNIT,
        NOTES,
    ),
    example={"date": dt.date(2024, 3, 8), "name": "三八妇女节趣味运动会", "category": "节日活动",
             "participants": 86, "spending": 4326.5},
)
