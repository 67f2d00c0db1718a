"""Run a reader on an untrusted file in a child process with memory and time limits.

A native reader that meets a hostile file does not raise: calamine asked for
one far-away cell allocates a dense grid of hundreds of gigabytes, and the
failed allocation aborts the process, which in a Streamlit server is every
user's session. So a file is parsed in a child that may die; the caller gets
its result, or a Chinese sentence saying why there is none.

In a threaded process (the Streamlit server) children are forked from a
fork server that has preloaded the readers: one fork costs milliseconds, and
the server is a clean single-threaded process, so forking from a threaded
server is never an issue. A process with one thread (the command line) forks
its children itself: it has imported the readers already, and starting a
fork server would cost a second interpreter's start before the first read.
Where there is no fork (Windows), or with `UNIONSTATS_SANDBOX=0` (mutation
testing, debugging), the reader runs in this process.

The result comes back in two parts: its large buffers (pyarrow's and
numpy's, pickled out of band) through a memory file, and the rest through
the pipe. A 200,000-row Dataset is 27 MB of buffers and 2 MB of the rest:
pickled whole and sent through the pipe it took 0.08-0.14 s, this way 0.03 s.
"""

from __future__ import annotations

import copyreg
import errno
import faulthandler
import gc
import io
import mmap
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
    """The fork server's context, started once."""
    global _context
    with _context_lock:
        if _context is None:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(PRELOAD)
            from multiprocessing import forkserver

            forkserver.ensure_running()
        return _context


def single_threaded() -> bool:
    """Only this thread runs Python here: a fork of this process is as clean as one of the fork server."""
    return threading.active_count() == 1


def run(function: Callable[..., Result], *args) -> Result:
    """`function(*args)` in a child with limits; raises Refused when the child fails or runs too long."""
    if not enabled():
        return function(*args)
    forked_here = single_threaded()  # (else from the fork server)
    mp = multiprocessing.get_context("fork") if forked_here else context()
    process = mp_context.ForkProcess if forked_here else _Process
    receiving, sending = mp.Pipe(duplex=False)
    widen(sending)
    handoff = Handoff.create()
    child = process(target=_child, args=(sending, handoff, memory_limit_mb(), function, args), daemon=True)
    with _running:
        try:
            child.start()
            sending.close()
            return _result(child, receiving, handoff, time_limit_seconds())
        finally:
            receiving.close()
            if handoff is not None:
                handoff.close()
            if child.is_alive():
                child.kill()
            if child.pid is not None:
                child.join()


class Handoff:
    """A memory file (memfd) the parent creates and the child writes the result's large buffers into.

    The parent reads it back in one call and unpickles the arrays onto that memory without copying them again.
    A forkserver child gets it as a duplicated descriptor, the way multiprocessing hands over a pipe.
    """

    ALIGN = 64  # numpy and Arrow read aligned buffers fastest

    def __init__(self, fd: int):
        self.fd = fd

    @classmethod
    def create(cls) -> Handoff | None:
        try:
            return cls(os.memfd_create("unionstats-result"))
        except (AttributeError, OSError):  # no memfd (not Linux): the whole result goes through the pipe
            return None

    def __reduce__(self):
        return _rebuilt_handoff, (reduction.DupFd(self.fd),)

    def write(self, buffers: list[memoryview]) -> list[tuple[int, int]]:
        """In the child: the buffers one after another, aligned; returns each one's (offset, length)."""
        layout, offset = [], 0
        with open(self.fd, "wb", buffering=0, closefd=False) as file:
            for buffer in buffers:
                offset = -(-offset // self.ALIGN) * self.ALIGN
                file.seek(offset)
                written = 0
                while written < buffer.nbytes:
                    written += file.write(buffer[written:])
                layout.append((offset, buffer.nbytes))
                offset += buffer.nbytes
        return layout

    def views(self, layout: list[tuple[int, int]]) -> list[memoryview]:
        """In the parent: the buffers the child wrote, read in one piece (a mapping would hold the file open for
        as long as any of its arrays lives)."""
        if not layout:
            return []
        whole = memoryview(fresh_memory(os.fstat(self.fd).st_size))
        with open(self.fd, "rb", buffering=0, closefd=False) as file:
            file.seek(0)  # (the child's writes moved the offset this descriptor shares)
            read = 0
            while read < whole.nbytes and (count := file.readinto(whole[read:])):
                read += count
        return [whole[offset: offset + length] for offset, length in layout]

    def close(self) -> None:
        os.close(self.fd)


def fresh_memory(size: int) -> mmap.mmap | bytearray:
    """Writable memory of `size` bytes, its pages mapped in one call where the system can: reading 39 MB into a
    bytearray took 40 ms, a page fault at a time; into memory mapped whole, 20 ms. (Anonymous memory holds no
    file open; like a bytearray's, it is freed with the last array on it.)"""
    populate = getattr(mmap, "MAP_POPULATE", 0)
    if not size or not populate:
        return bytearray(size)
    return mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | populate)


def _rebuilt_handoff(duplicate) -> Handoff:
    return Handoff(duplicate.detach())


def _result(child, receiving, handoff: Handoff | None, seconds: float):
    if not receiving.poll(seconds):
        child.kill()
        raise Refused(f"读取超过 {seconds:.0f} 秒仍未完成，已停止。文件可能过大或结构异常，"
                      "请在 Excel 或 WPS 中删除多余的行列，另存为 .xlsx 后重试")
    try:
        payload, layout = pickle.loads(receiving.recv_bytes())
    except (EOFError, OSError):
        child.join(5)
        raise Refused(died_message(child.exitcode)) from None
    outcome, value = pickle.loads(payload, buffers=handoff.views(layout) if handoff is not None else ())
    if outcome == "memory":
        raise Refused(memory_message())
    return value


def _child(sending, handoff: Handoff | None, memory_mb: int, function, args) -> None:
    """Runs in the child: a native reader's dying words (a Rust backtrace) are not the user's to read."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    faulthandler.disable()  # (a parent's fault handler, forked with it, writes to a stderr of its own)
    limit_memory(memory_mb)
    # The child reads one file and exits: reference counting frees what the read lets go of (a read makes no
    # reference cycles) and the memory limit bounds the rest. The cyclic collector's passes over the rows
    # being read found nothing and took 0.06-0.2 s of a 200,000-row workbook's read.
    gc.disable()
    buffers: list[memoryview] = []
    keep = (lambda buffer: in_band(buffer, buffers)) if handoff is not None else None
    try:
        payload = dumped(("ok", function(*args)), keep)
        layout = handoff.write(buffers) if handoff is not None else []
    except (MemoryError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno != errno.EFBIG:  # (EFBIG: the memory file grew past the limit)
            raise
        payload, layout = pickle.dumps(("memory", None)), []
    sending.send_bytes(pickle.dumps((payload, layout), protocol=5))


def dumped(result, buffer_callback) -> bytes:
    """`result` pickled (protocol 5), Arrow-backed columns as the chunks they hold.

    pandas pickles such a column by first copying its chunks into one new array, even when it has one chunk:
    for a 200,000-row Dataset, 30 MB copied into fresh memory, 0.05-0.1 s of the child's time, before the same
    bytes are copied again into the memory file. Its chunks pickle as they are (pyarrow hands their buffers out
    of band), and pandas rebuilds the column from them as from the one array it would have written.
    """
    from pandas.arrays import ArrowExtensionArray, ArrowStringArray

    file = io.BytesIO()
    pickler = pickle.Pickler(file, protocol=5, buffer_callback=buffer_callback)
    pickler.dispatch_table = copyreg.dispatch_table | {cls: as_chunks for cls in (ArrowExtensionArray, ArrowStringArray)}
    pickler.dump(result)
    return file.getvalue()


def as_chunks(array):
    """A pandas Arrow-backed array's pickle (the state its `__setstate__` reads) holding its chunked array as it
    is, where pandas' own `__getstate__` would hold the chunks combined into one array."""
    return copyreg.__newobj__, (type(array),), {**array.__dict__, "_cache": {}}


def in_band(buffer: pickle.PickleBuffer, buffers: list[memoryview]) -> bool:
    """pickle's buffer_callback: a contiguous buffer goes to the memory file (False), any other stays in band."""
    try:
        buffers.append(buffer.raw())
    except BufferError:
        return True
    return False


def widen(pipe) -> None:
    """A 1 MB pipe instead of 64 KB: a 200,000-row Dataset is 28 MB, and each 64 KB is a context switch."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def limit_memory(memory_mb: int) -> None:
    """At most `memory_mb` more address space than the child starts with, and files (the memory file) of at
    most that size, a write past it failing with EFBIG rather than a signal; where the system can say."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (used + (memory_mb << 20), resource.RLIM_INFINITY))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (memory_mb << 20, resource.RLIM_INFINITY))
    except (ImportError, OSError, ValueError, AttributeError):
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
