"""Read-only files and folders that bind root too: Linux's Landlock, in a child process.

The tests run as root (here and in CI), and chmod does not bind root; a read-only mount needs
privileges a test does not have. Landlock (Linux 5.13+) is a sandbox any process, root
included, may put itself in: `read_only_except(writable)` returns a preexec_fn after which
the child may write only beneath the folders named (and to /dev), everywhere else it can
only read, as on a read-only disk. Opening a file for writing there fails with EACCES.
`landlock_abi()` is 0 where the kernel has no Landlock (the tests then skip, saying so).
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable, Sequence
from pathlib import Path

# The syscall numbers are the same on x86-64 and arm64 (the unified table).
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

_WRITE_FILE = 1 << 1
# Writing a file, and making, removing or renaming anything in a folder.
_WRITE_RIGHTS_ABI1 = _WRITE_FILE | sum(1 << bit for bit in range(4, 13))
_REFER = 1 << 13  # ABI 2
_TRUNCATE = 1 << 14  # ABI 3

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    version = _libc.syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    return max(int(version), 0)


def _write_rights(abi: int) -> int:
    rights = _WRITE_RIGHTS_ABI1
    if abi >= 2:
        rights |= _REFER
    if abi >= 3:
        rights |= _TRUNCATE
    return rights


def read_only_except(writable: Sequence[Path]) -> Callable[[], None]:
    """A preexec_fn: the child may write only beneath `writable` (folders) and /dev."""
    abi = landlock_abi()
    if abi == 0:
        raise RuntimeError("this kernel has no Landlock")
    rights = _write_rights(abi)
    folders = [str(Path(p)) for p in writable] + ["/dev"]

    def restrict() -> None:
        attr = _RulesetAttr(rights)
        ruleset = _libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.sizeof(attr), 0)
        if ruleset < 0:
            raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
        for folder in folders:
            fd = os.open(folder, os.O_PATH | os.O_CLOEXEC)
            rule = _PathBeneathAttr(rights, fd)
            done = _libc.syscall(_ADD_RULE, int(ruleset), _RULE_PATH_BENEATH, ctypes.byref(rule), 0)
            os.close(fd)
            if done < 0:
                raise OSError(ctypes.get_errno(), f"landlock_add_rule {folder}")
        if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
        if _libc.syscall(_RESTRICT_SELF, int(ruleset), 0) < 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
        os.close(int(ruleset))

    return restrict
