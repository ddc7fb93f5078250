#!/usr/bin/env python3
"""Test helper for tests/hostile.rs: hold a tun/tap under a chosen process
name, optionally one made in a user+net namespace of its own and passed back
over a socket (the fake holder of SPEC 11).

usage: holder.py NAME tun|tap COMM_HEX [foreign]
COMM_HEX: the process name to set with prctl(PR_SET_NAME), hex-encoded.
Prints "attached" and holds the fd until stdin closes.
"""
import ctypes
import fcntl
import os
import socket
import struct
import sys

libc = ctypes.CDLL(None, use_errno=True)
name, mode, comm = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
foreign = len(sys.argv) > 4 and sys.argv[4] == "foreign"

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_TAP, IFF_NO_PI = 0x0001, 0x0002, 0x1000
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
PR_SET_NAME = 15


def attach():
    fd = os.open("/dev/net/tun", os.O_RDWR)
    flags = (IFF_TAP if mode == "tap" else IFF_TUN) | IFF_NO_PI
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", name.encode(), flags))
    return fd


if foreign:
    ours, theirs = socket.socketpair()
    child = os.fork()
    if child == 0:
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            print("error unshare", ctypes.get_errno(), flush=True)
            os._exit(3)
        try:
            fd = attach()
        except OSError as e:
            print("error attach", e, flush=True)
            os._exit(4)
        socket.send_fds(theirs, [b"x"], [fd])
        os._exit(0)
    _, fds, _, _ = socket.recv_fds(ours, 1, 1)
    _, status = os.waitpid(child, 0)
    if not fds:
        sys.exit(1)
    fd = fds[0]
else:
    fd = attach()

libc.prctl(PR_SET_NAME, ctypes.c_char_p(comm), 0, 0, 0)
print("attached", flush=True)
sys.stdin.read()
os.close(fd)
