#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# fwcmd_bpf_test on the BPF LSM boot, where BPF LSM, the kernel's BTF and
# the program must all be there: a missing one fails the test rather than
# skipping it.
FWCTL_LSM_REQUIRE_BPF=1 exec /fwlsm/fwctl_lsm/fwcmd_bpf_test "$@"
