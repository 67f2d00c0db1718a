"""An argparse parser that speaks Chinese: usage, headings, the -h line and every error it words itself.

argparse words its own text through gettext (`argparse._` and `argparse.ngettext`, keyed by the English
message). A gettext catalog for it would be a compiled .mo file found through the machine's locale, so a server
with LANG=C would print English again. Instead MESSAGES below is the catalog, and ChineseParser hands it to
argparse only while it builds, formats or parses (`chinese()`): every parser and subparser of the command line
is a ChineseParser, and any other argparse user in the same process keeps argparse's own text.

A message missing from MESSAGES stays English; tests/test_arguments.py compares MESSAGES with the messages of
the argparse that runs, so a new Python's new message is caught there.
"""

from __future__ import annotations

import argparse
import contextlib
import functools

MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示此帮助信息并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少参数：%s",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择“%(value)s”，可选：%(choices)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有“%(parser_name)s”这个命令，可用的命令：%(choices)s",
    "invalid %(type)s value: %(value)r": "无效的值“%(value)s”",
    "expected one argument": "后面需要给出一个值",
    "expected at most one argument": "后面最多给出一个值",
    "expected at least one argument": "后面至少需要给出一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "不接受值“%s”",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "unexpected option string: %s": "此处不应出现选项 %s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
PLURALS = {("expected %s argument", "expected %s arguments"): "后面需要给出 %s 个值"}

# Raised only for a mistake in the program's own parser definitions, as ValueError or TypeError while the parser
# is built: no user reads these, so they stay as argparse words them.
PROGRAMMER_ERRORS = frozenset({
    "conflicting option string: %s", "conflicting option strings: %s", ".__call__() not defined",
    "'required' is an invalid argument for positionals", "mutually exclusive arguments must be optional",
    "%r is not callable", "cannot merge actions - two groups are named %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "cannot have multiple subparser arguments", "conflicting subparser: %s", "conflicting subparser alias: %s",
    'argument "-" with mode %r', "length of metavar tuple does not match nargs",
})


def translated(message: str) -> str:
    return MESSAGES.get(message, message)


def translated_plural(singular: str, plural: str, count: int) -> str:
    return PLURALS.get((singular, plural)) or (singular if count == 1 else plural)


@contextlib.contextmanager
def chinese():
    """argparse words its text from MESSAGES inside this block (nested blocks are fine)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = translated, translated_plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def in_chinese(method):
    @functools.wraps(method)
    def wrapped(*args, **kwargs):
        with chinese():
            return method(*args, **kwargs)

    return wrapped


class ChineseFormatter(argparse.HelpFormatter):
    """Help laid out for Chinese: headings end in a full-width colon, and the lines of a long usage line up under
    its first though 用法： is twice as wide on screen as argparse counts it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.headings: list[str] = []

    def start_section(self, heading):
        if heading:
            self.headings.append(heading)
        super().start_section(heading)

    def _format_usage(self, usage, actions, groups, prefix):
        prefix = translated("usage: ") if prefix is None else prefix
        text = super()._format_usage(usage, actions, groups, prefix)
        wider = " " * sum(1 for c in prefix if ord(c) > 0x2E7F)  # a CJK character takes two columns
        first, *rest = text.split("\n")
        return "\n".join([first, *(wider + line if line.startswith(" ") else line for line in rest)])

    def format_help(self):
        text = super().format_help()
        for heading in self.headings:
            text = text.replace(f"\n{heading}:\n", f"\n{heading}：\n")
        return text


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose every line is Chinese; its subparsers are of its own class unless told otherwise.

    A list of choices reads 查看、填报、管理; a subcommand that does not exist is named with the commands there are.
    """

    @in_chinese
    def __init__(self, *args, formatter_class=ChineseFormatter, **kwargs):
        super().__init__(*args, formatter_class=formatter_class, **kwargs)

    format_usage = in_chinese(argparse.ArgumentParser.format_usage)
    format_help = in_chinese(argparse.ArgumentParser.format_help)
    parse_args = in_chinese(argparse.ArgumentParser.parse_args)
    parse_known_args = in_chinese(argparse.ArgumentParser.parse_known_args)
    error = in_chinese(argparse.ArgumentParser.error)

    @in_chinese
    def add_subparsers(self, **kwargs):
        """Subcommands listed under the word 命令 (argparse would name them by their English `dest`)."""
        kwargs.setdefault("metavar", "命令")
        kwargs.setdefault("parser_class", type(self))
        return super().add_subparsers(**kwargs)

    def _check_value(self, action: argparse.Action, value) -> None:
        if action.choices is None or value in action.choices:
            return
        listed = "、".join(map(str, action.choices))
        if isinstance(action, argparse._SubParsersAction):
            raise argparse.ArgumentError(None, f"没有“{value}”这个命令，可用的命令：{listed}")
        raise argparse.ArgumentError(action, f"无效的选择“{value}”，可选：{listed}")
