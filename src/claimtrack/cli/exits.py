"""The exit codes of every command, and how `--help` states them (importable at no cost)."""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_INTERNAL = 0, 1, 3  # 2 (usage, input): click and exc.InputError
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a tool whose reader left

EXIT_CODES_HELP = (
    "\b\nExit codes:\n  0  valid / done\n  1  findings (invalid data, stale files, no rows)\n"
    "  2  usage or input error\n  3  internal error (a bug: please report it)\n"
    "  141  the output's reader closed it (e.g. `| head`)"
)
