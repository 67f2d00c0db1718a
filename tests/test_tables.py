"""The one-line verdicts and the tables the pages show."""

from unionstats import tables
from unionstats.loading import rejected


def test_a_file_refused_as_a_whole_says_why_in_its_verdict():
    dataset = rejected("far.xlsx", "读取这个文件所需的内存超过了上限（4,096 MB），已停止读取。")
    assert tables.verdict(dataset) == "无法使用这个文件：读取这个文件所需的内存超过了上限（4,096 MB），已停止读取。"
