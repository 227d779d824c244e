"""The exit codes of every command, and how `--help` states them (importable at no cost)."""

from __future__ import annotations

from claimtrack.exc import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_CODES_HELP", "EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_OK"]

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a tool whose reader left

EXIT_CODES_HELP = (
    f"\b\nExit codes:\n  {EXIT_OK}  valid / done\n"
    f"  {EXIT_FINDINGS}  findings (invalid data, stale files, no rows)\n"
    f"  {EXIT_USAGE}  usage or input error\n"
    f"  {EXIT_INTERNAL}  internal error (a bug: please report it)\n"
    f"  {EXIT_BROKEN_PIPE}  the output's reader closed it (e.g. `| head`)"
)
