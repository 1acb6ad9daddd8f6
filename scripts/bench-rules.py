#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The policy.conf rules of one make bench configuration (bench/kmod).

    bench-rules.py N OPCODE IOCTL RULES ARGS

writes to RULES the statements to add to the test policy for the bench
domain fw_bench_t on the device label fw_dev_t: the same N ranges in an
allowxperm rule on chr_file ioctl and on mlx5_fwctl_cmd ioctl, one range of
the first holding the ioctl number IOCTL (its low 16 bits) and one of the
second the mlx5 opcode OPCODE; a node label fw_bench_deny_t that the
domain may open but not command; and the labels of the firmware command
classifier's bench rules (bench-cls-rules.py): fw_bench_cmd_t, which the
domain may send, and fw_bench_cmd_deny_t, which it may not.  N = 0 writes
no allowxperm rule: the base permission alone decides.  ARGS gets the
module parameters naming a denied value of each (in a gap between two
ranges), empty for N = 0.
"""
import sys

SPACE = 0x10000


def ranges(n, value):
    """n disjoint ranges (lo, hi) of the 16-bit space, evenly spread, one of
    them holding `value`, and a value next to that range in a gap."""
    if n == 0:
        return [], None
    stride = SPACE // (n + 1)
    half = stride // 2
    if half < 1:
        raise ValueError(f"{n} ranges do not fit in 16 bits with gaps")
    lo_v = min(value, SPACE - half)  # the range of value: lo_v to lo_v + half - 1
    base = lo_v % stride
    slots = (SPACE - half - base) // stride + 1  # ranges base + i * stride that fit
    first = min(lo_v // stride, slots - n)
    out = [(base + i * stride, base + i * stride + half - 1)
           for i in range(first, first + n)]
    denied = lo_v + half if lo_v + half < SPACE else lo_v - 1
    assert any(lo <= value <= hi for lo, hi in out)
    assert not any(lo <= denied <= hi for lo, hi in out)
    assert out[0][0] >= 0 and out[-1][1] < SPACE
    return out, denied


def xperm_set(rs):
    items = [f"0x{lo:04x}-0x{hi:04x}" for lo, hi in rs]
    lines = [" ".join(items[i:i + 8]) for i in range(0, len(items), 8)]
    return "{\n\t" + "\n\t".join(lines) + "\n}"


def rules(n, opcode, ioctl):
    fw, fw_denied = ranges(n, opcode)
    io, io_denied = ranges(n, ioctl & 0xffff)
    text = [
        f"# make bench (bench/kmod): the module's domain, {n} xperm ranges",
        "type fw_bench_t, domain;",
        "type fw_bench_deny_t;",
        "allow fw_bench_t fw_dev_t:mlx5_fwctl_cmd ioctl;",
        "allow fw_bench_t fw_bench_deny_t:chr_file { open read write getattr };",
        "allow kernel_t fw_bench_deny_t:chr_file *;",
        "type fw_bench_cmd_t;",
        "type fw_bench_cmd_deny_t;",
        "allow fw_bench_t fw_bench_cmd_t:mlx5_fwctl_cmd send;",
    ]
    if n:
        text.append(f"allowxperm fw_bench_t fw_dev_t:chr_file ioctl {xperm_set(io)};")
        text.append(f"allowxperm fw_bench_t fw_dev_t:mlx5_fwctl_cmd ioctl {xperm_set(fw)};")
        args = f"deny_opcode=0x{fw_denied:04x} deny_ioctl=0x{(ioctl & ~0xffff) | io_denied:x}"
    else:
        args = ""
    return "\n".join(text) + "\n", args


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    n, opcode, ioctl = int(argv[1]), int(argv[2], 0), int(argv[3], 0)
    text, args = rules(n, opcode, ioctl)
    with open(argv[4], "w") as f:
        f.write(text)
    with open(argv[5], "w") as f:
        f.write(args + "\n")


if __name__ == "__main__":
    main(sys.argv)
