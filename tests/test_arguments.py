"""The command line's own usage, help and usage errors are Chinese, for every command and subcommand.

"English" here means a word of argparse's own messages, read from the source of the argparse that runs:
an option such as --help or a metavar such as NAME is the project's, and may stay.
"""

import argparse
import ast
import inspect
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from unionstats.cli import main as cli

PLACEHOLDER = re.compile(r"%(\(\w+\))?[sr]")
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")


def argparse_messages() -> set[str]:
    """Every message argparse passes to gettext (`_` and `ngettext`), from its source."""
    found = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            found |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


ARGPARSE_WORDS = {w.lower() for m in argparse_messages() for w in re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", m))}


def english_of_argparse(text: str) -> set[str]:
    """The words of `text` that argparse's messages use, options (--with-names, -h) aside."""
    return {w for w in re.findall(r"[A-Za-z]{2,}", OPTION.sub("", text)) if w.lower() in ARGPARSE_WORDS}


def test_argparse_words_are_found():
    assert {"usage", "positional", "arguments", "options", "show", "help", "required", "invalid", "choice",
            "unrecognized", "expected"} <= ARGPARSE_WORDS
    assert english_of_argparse("usage: x [-h]\n\noptions:\n  -h, --help  show this help message and exit") == {
        "usage", "options", "show", "this", "help", "message", "and", "exit"}
    assert english_of_argparse("用法：x --with-names --not-due NAME FILE.xlsx") == set()


def command_paths(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The top command and every subcommand, nested ones too (`user add`, `units set`)."""
    paths = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths += command_paths(sub, (*path, name))
    return paths


COMMANDS = command_paths(cli.build_parser())


def test_every_command_is_listed():
    assert {(), ("stats",), ("deck",), ("user",), ("user", "add"), ("audit",), ("units",), ("units", "set")} \
        <= set(COMMANDS)


def run(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        cli.main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def has_positionals(path: tuple[str, ...]) -> bool:
    parser = cli.build_parser()
    for name in path:
        [parser] = [a.choices[name] for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return any(not a.option_strings for a in parser._actions)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "top")
def test_help_of_every_command_is_chinese(capsys, path):
    code, out, err = run(capsys, *path, "-h")
    assert (code, err) == (0, "")
    assert out.startswith("用法：python -m unionstats" + "".join(f" {p}" for p in path))
    assert "\n选项：\n" in out
    assert re.search(r"^  -h, --help +显示此帮助信息并退出$", out, re.M)
    assert ("\n位置参数：\n" in out) == has_positionals(path)
    assert english_of_argparse(out) == set()


@pytest.mark.parametrize("args, says", [
    ([], "缺少参数：命令"),
    (["frobnicate"], "没有“frobnicate”这个命令，可用的命令：check、stats、summary"),
    (["user"], "缺少参数：命令"),
    (["user", "frobnicate"], "没有“frobnicate”这个命令，可用的命令：add、list、disable"),
    (["user", "add"], "缺少参数：NAME, --role"),
    (["user", "add", "王老师", "--role", "主席"], "参数 --role：无效的选择“主席”，可选：查看、填报、管理"),
    (["user", "role", "王老师", "主席"], "无效的选择“主席”，可选：查看、填报、管理"),
    (["stats", "--bogus"], "无法识别的参数：--bogus"),
    (["stats", "--period"], "参数 --period：后面需要给出一个值"),
    (["stats", "--u", "一中"], "选项 --u 不明确，可能是：--unit, --unit-name"),
    (["check", "a.xlsx", "--json=yes"], "参数 --json：不接受值“yes”"),
    (["units", "set", "一中", "--due", "--not-due"], "参数 --not-due：不能与参数 --due 同时使用"),
    (["template"], "缺少参数：OUT.xlsx"),
], ids=lambda v: " ".join(v) or "nothing" if isinstance(v, list) else "")
def test_usage_errors_are_chinese(capsys, args, says):
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith("用法：python -m unionstats")
    assert says in err
    assert "用法错误：" in err
    assert english_of_argparse(err) == set(), err


def test_the_entry_point_speaks_chinese_whatever_the_locale(tmp_path):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LANG": "C", "LC_ALL": "C",
           "UNIONSTATS_DB": f"sqlite:///{tmp_path}/s.db"}
    shown = subprocess.run([sys.executable, "-m", "unionstats", "-h"], capture_output=True, text=True, env=env,
                           cwd=tmp_path, timeout=120)
    assert shown.returncode == 0 and shown.stdout.startswith("用法：")
    refused = subprocess.run([sys.executable, "-m", "unionstats", "user", "add"], capture_output=True, text=True,
                             env=env, cwd=tmp_path, timeout=120)
    assert refused.returncode == 2 and "缺少参数：NAME, --role" in refused.stderr
    assert english_of_argparse(shown.stdout + refused.stderr) == set()


def test_every_message_argparse_words_for_a_user_is_translated():
    from unionstats.cli.arguments import MESSAGES, PLURALS, PROGRAMMER_ERRORS

    plural = {m for pair in PLURALS for m in pair}
    assert argparse_messages() - PROGRAMMER_ERRORS - plural <= set(MESSAGES)
    for english, chinese in MESSAGES.items():
        assert english_of_argparse(PLACEHOLDER.sub("", chinese)) == set(), chinese
        named = set(re.findall(r"%\((\w+)\)", english))
        assert set(re.findall(r"%\((\w+)\)", chinese)) <= named  # it may leave out one, such as the type's name
        fill = {name: "x" for name in named} if named else ("x",) * len(re.findall(r"%[sr]", english))
        assert chinese % fill
