"""Operating-system guards for worker processes: die with the parent, no network.

Both are Linux facilities reached through `ctypes` (no dependency); elsewhere they are no-ops that
say so (they return False), and callers keep their other defences.

- `die_with_parent()`: `prctl(PR_SET_PDEATHSIG, SIGKILL)`, so a worker whose parent was killed
  (kill -9 of `unkg load` or `unkg serve`) does not run on as an orphan.
- `deny_network()`: a seccomp filter refusing `socket(AF_INET | AF_INET6, …)` (and io_uring, which
  could open sockets without that call) with EACCES, in this process and every thread and child
  it starts afterwards. Sockets already open (the pipe to the parent) keep working. The SPARQL
  endpoint's query workers install it so that no query (SERVICE, or anything a future engine
  version adds) can make them reach the network.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import platform
import shutil
import signal
import struct
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_PR_SET_SECCOMP = 22
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_MODE_FILTER = 2

# classic BPF opcodes used by seccomp filters
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000

# (audit architecture, number of socket(2), number of io_uring_setup(2), x32 syscall bit)
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425, 0x40000000),
    "aarch64": (0xC00000B7, 198, 425, None),
}
_AF_INET, _AF_INET6 = 2, 10


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies; True when in force."""
    libc = _libc()
    if libc is None:
        return False
    parent = os.getppid()
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    # The parent may have died before the call: then nobody would send the signal.
    if os.getppid() != parent:
        os._exit(1)
    return True


def _filter(arch: int, socket_nr: int, uring_nr: int, x32: int | None) -> bytes:
    deny = _RET_ERRNO | errno.EACCES
    prog: list[tuple[int, int, int, int]] = [
        (_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, deny),  # another ABI (32-bit calls on a 64-bit kernel): refused
        (_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
    ]
    if x32 is not None:
        prog.append((_JGE_K, 0, 1, x32))
        prog.append((_RET_K, 0, 0, deny))
    prog += [
        (_JEQ_K, 0, 1, uring_nr),
        (_RET_K, 0, 0, deny),
        (_JEQ_K, 1, 0, socket_nr),
        (_RET_K, 0, 0, _RET_ALLOW),
        (_LD_W_ABS, 0, 0, 16),  # low half of seccomp_data.args[0]: the address family
        (_JEQ_K, 2, 0, _AF_INET),
        (_JEQ_K, 1, 0, _AF_INET6),
        (_RET_K, 0, 0, _RET_ALLOW),
        (_RET_K, 0, 0, deny),
    ]
    return b"".join(struct.pack("=HBBI", *ins) for ins in prog)


def deny_network() -> bool:
    """Forbid this process (and what it starts from now on) to open IP sockets; True when in
    force. Call it before the process starts threads."""
    libc = _libc()
    arches = _ARCHES.get(platform.machine())
    if libc is None or arches is None:
        return False
    code = _filter(*arches)
    buffer = ctypes.create_string_buffer(code, len(code))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0


def temporary_prefix(name: str) -> str:
    """Prefix of this program's temporary files and folders of kind `name`, with the process id,
    so that `remove_stale_temporaries` can tell those of dead processes."""
    return f"unkg-{name}-{os.getpid()}-"


def remove_stale_temporaries(name: str) -> int:
    """Remove temporary files and folders of kind `name` (made with `temporary_prefix`) left by
    processes that no longer run (a crash, kill -9); returns how many were removed."""
    removed = 0
    root = Path(tempfile.gettempdir())
    for entry in root.glob(f"unkg-{name}-*"):
        pid_text = entry.name.removeprefix(f"unkg-{name}-").split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
    return removed


@contextlib.contextmanager
def private_tmpdir(name: str) -> Iterator[Path]:
    """A fresh temporary folder that libraries of this process write their temporary files to
    (TMPDIR points there, for native code too, while the block runs), removed afterwards; a
    crash leaves it to `remove_stale_temporaries(name)`."""
    folder = Path(tempfile.mkdtemp(prefix=temporary_prefix(name)))
    previous = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(folder)
    try:
        yield folder
    finally:
        if previous is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = previous
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
