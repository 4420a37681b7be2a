"""Run a command with no internet, deterministically: in a network namespace of its own
that holds only the loopback interface, so every other address is unreachable at once and
every name lookup but /etc/hosts fails at once, whatever the machine's network or DNS.

``offline_prefix()`` finds a way on this machine: an unprivileged user namespace
(``unshare -rn``), else ``sudo -n unshare -n`` (the command then drops back to this user);
none, and it says why. ``python tests/offline.py [--as UID:GID] -- COMMAND...``, run
inside the namespace, brings the loopback interface up (a new namespace's is down), checks
that nothing outside answers, and runs the command.
"""

from __future__ import annotations

import encodings.idna  # noqa: F401 - looked up by getaddrinfo, maybe after setuid
import errno
import fcntl
import os
import shutil
import socket
import struct
import subprocess
import sys

HERE = os.path.abspath(__file__)
# an address and a name that are on the internet: neither may be reachable in here
OUTSIDE_ADDRESS = ("192.0.2.1", 80)  # TEST-NET-1: not routed, but needs a route to fail
OUTSIDE_NAME = "www.python.org"
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def offline_prefix() -> tuple[list[str] | None, str]:
    """The command prefix that runs ``python tests/offline.py`` in a namespace with only
    loopback, or None and the reason there is none on this machine."""
    if not sys.platform.startswith("linux"):
        return None, f"network namespaces are Linux only (this is {sys.platform})"
    unshare = shutil.which("unshare")
    if unshare is None:
        return None, "unshare (util-linux) is not installed"
    tried = []
    ways = [[unshare, "-rn"]]
    if os.geteuid() != 0 and shutil.which("sudo"):
        ways.append(["sudo", "-n", unshare, "-n"])
    for way in ways:
        probe = subprocess.run([*way, "true"], capture_output=True, text=True, timeout=30)
        if probe.returncode == 0:
            drop = [] if way[0] == unshare else ["--as", f"{os.getuid()}:{os.getgid()}"]
            return [*way, sys.executable, HERE, *drop, "--"], ""
        tried.append(f"{' '.join(way)}: {probe.stderr.strip() or probe.returncode}")
    return None, "no network namespace can be made here (" + "; ".join(tried) + ")"


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sh22x", b"lo", 0)
        flags = struct.unpack("16sh22x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | IFF_UP))


def outside_problem() -> str | None:
    """Why this is not offline, or None when it is."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        try:
            sock.connect(OUTSIDE_ADDRESS)
            return f"{OUTSIDE_ADDRESS[0]} answered"
        except OSError as exc:
            if exc.errno not in (errno.ENETUNREACH, errno.EHOSTUNREACH):
                return f"{OUTSIDE_ADDRESS[0]}: {exc} (a route out exists)"
    try:
        socket.getaddrinfo(OUTSIDE_NAME, 80)
        return f"{OUTSIDE_NAME} resolved"
    except socket.gaierror:
        pass
    with socket.socket() as sock:  # and loopback works
        sock.bind(("127.0.0.1", 0))
    return None


def main(argv: list[str]) -> int:
    drop = None
    if argv[:1] == ["--as"]:
        drop, argv = argv[1], argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    loopback_up()
    if drop:
        uid, gid = (int(part) for part in drop.split(":"))
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
    problem = outside_problem()
    if problem:
        print(f"offline: not offline: {problem}", file=sys.stderr)
        return 3
    os.execvp(argv[0], argv)
    return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
