"""Run a reader on an untrusted file in a child process with memory and time limits.

A native reader that meets a hostile file does not raise: calamine asked for
one far-away cell allocates a dense grid of hundreds of gigabytes, and the
failed allocation aborts the process, which in a Streamlit server is every
user's session. So a file is parsed in a child that may die; the caller gets
its result, or a Chinese sentence saying why there is none.

Children are forked from a fork server that has preloaded the readers: one
fork costs milliseconds, and the server is a clean single-threaded process,
so forking from a threaded Streamlit server (or after pyarrow has started its
thread pools) is never an issue. Where there is no fork server (Windows), or
with `UNIONSTATS_SANDBOX=0` (mutation testing, debugging), the reader runs in
this process.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable
from multiprocessing import context as mp_context
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from typing import TypeVar

PRELOAD = ["unionstats.intake.loading"]
Result = TypeVar("Result")


class Refused(Exception):
    """The child gave no result; the message says why in Chinese."""


def memory_limit_mb() -> int:
    """Address space a child may add: `UNIONSTATS_READ_MEMORY_MB`, else half the RAM up to 4 GB."""
    if os.environ.get("UNIONSTATS_READ_MEMORY_MB"):
        return int(os.environ["UNIONSTATS_READ_MEMORY_MB"])
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") >> 20
    except (ValueError, OSError, AttributeError):
        ram = 8192
    return max(1024, min(4096, ram // 2))


def time_limit_seconds() -> float:
    return float(os.environ.get("UNIONSTATS_READ_SECONDS") or 120)


def enabled() -> bool:
    return os.environ.get("UNIONSTATS_SANDBOX", "1") != "0" and "forkserver" in multiprocessing.get_all_start_methods()


class _Popen(popen_forkserver.Popen):
    """The fork server's Popen without the caller's main module.

    multiprocessing makes each child import the parent's `__main__` first; under Streamlit that is the
    page script being run (which reads files again, in the child), with `python -c` or stdin nothing
    importable. A child here runs one library function and needs none of it.
    """

    def _launch(self, process_obj):
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buffer = io.BytesIO()
        mp_context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buffer)
            reduction.dump(process_obj, buffer)
        finally:
            mp_context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        self.finalizer = util.Finalize(self, util.close_fds, (os.dup(w), self.sentinel))
        with open(w, "wb", closefd=True) as pipe:
            pipe.write(buffer.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(mp_context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _Popen(process_obj)


_context = None
_context_lock = threading.Lock()
_running = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))


def context():
    """The fork server's context, started once; call early to overlap its start with other work."""
    global _context
    with _context_lock:
        if _context is None:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(PRELOAD)
            from multiprocessing import forkserver

            forkserver.ensure_running()
        return _context


def start() -> None:
    if enabled():
        threading.Thread(target=context, name="unionstats-forkserver", daemon=True).start()


def run(function: Callable[..., Result], *args) -> Result:
    """`function(*args)` in a child with limits; raises Refused when the child fails or runs too long."""
    if not enabled():
        return function(*args)
    mp = context()
    receiving, sending = mp.Pipe(duplex=False)
    widen(sending)
    child = _Process(target=_child, args=(sending, memory_limit_mb(), function, args), daemon=True)
    with _running:
        child.start()
        sending.close()
        try:
            return _result(child, receiving, time_limit_seconds())
        finally:
            receiving.close()
            if child.is_alive():
                child.kill()
            child.join()


def _result(child, receiving, seconds: float):
    if not receiving.poll(seconds):
        child.kill()
        raise Refused(f"读取超过 {seconds:.0f} 秒仍未完成，已停止。文件可能过大或结构异常，"
                      "请在 Excel 或 WPS 中删除多余的行列，另存为 .xlsx 后重试")
    try:
        outcome, value = pickle.loads(receiving.recv_bytes())
    except (EOFError, OSError):
        child.join(5)
        raise Refused(died_message(child.exitcode)) from None
    if outcome == "memory":
        raise Refused(memory_message())
    return value


def _child(sending, memory_mb: int, function, args) -> None:
    """Runs in the child: a native reader's dying words (a Rust backtrace) are not the user's to read."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    limit_memory(memory_mb)
    try:
        # protocol 5 writes pyarrow's string buffers in one copy: 0.01 s for a 200,000-row Dataset, 0.07 s with 4
        payload = pickle.dumps(("ok", function(*args)), protocol=5)
    except MemoryError:
        payload = pickle.dumps(("memory", None))
    sending.send_bytes(payload)


def widen(pipe) -> None:
    """A 1 MB pipe instead of 64 KB: a 200,000-row Dataset is 28 MB, and each 64 KB is a context switch."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def limit_memory(memory_mb: int) -> None:
    """At most `memory_mb` more address space than the child starts with (where the system can say)."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (used + (memory_mb << 20), resource.RLIM_INFINITY))
    except (ImportError, OSError, ValueError):
        pass


def memory_message() -> str:
    return (f"读取这个文件所需的内存超过了上限（{memory_limit_mb():,} MB），已停止读取。"
            "文件中可能有远离数据的单元格，或数据区域过大：请在 Excel 或 WPS 中按 Ctrl+End 查看最后一个单元格，"
            "删除多余的行列，或把数据拆成几个文件，另存为 .xlsx 后重试")


def died_message(exitcode: int | None) -> str:
    if exitcode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGBUS):
        return memory_message()
    return (f"读取这个文件时读取程序意外退出（代码 {exitcode}），文件可能已损坏。"
            "请在 Excel 或 WPS 中打开它，另存为 .xlsx 后重试；如仍失败，请把文件发给管理员")
