"""Who is writing a snapshot: a run's identity (`host:pid:started`) and whether it still lives.

A collection claims the snapshot it writes (`snapshots.claimed_by`), so two resumes of one snapshot
never write it at once; finishing releases the claim. A run killed with `kill -9` leaves its claim
behind: on the same host a dead pid is seen and its claim taken over; another host's claim cannot
be checked, and is taken over only when asked (`collect --resume --force`).
"""

from __future__ import annotations

import os
import socket
import time
from functools import cache

__all__ = ["claim_alive", "run_id"]


@cache
def run_id() -> str:
    """This process's claim: host, pid and start time (a reused pid does not look alive)."""
    return f"{socket.gethostname()}:{os.getpid()}:{int(time.time())}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def claim_alive(claim: str) -> bool:
    """Whether the run of `claim` may still be writing (unknown hosts count as alive)."""
    host, _, rest = claim.partition(":")
    pid_text, _, _started = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return True
    return int(pid_text) != os.getpid() and _pid_alive(int(pid_text))
