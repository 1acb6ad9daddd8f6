# SPDX-License-Identifier: GPL-2.0
# fwlsm: firmware-command access control for Linux.  `make help` lists targets.

SHELL := /bin/bash
S := scripts
RUN ?= build/run

.PHONY: help deps base qemu tree export emu kernel initramfs static host-tests check-series bench fresh \
	boot check demo clean distclean opcodes kit try fuzz stress

help:
	@echo 'fwlsm targets (run as root on Debian 12):'
	@echo '  make check      set up, static checks, build, boot, run every test;'
	@echo '                  ends with "N passed, N failed"'
	@echo '  make demo       set up, build, boot and show what the series does'
	@echo '  make bench      what the checks cost: FWCTL_RPC with and without an'
	@echo '                  allowxperm set; the check against the ioctl xperm check'
	@echo '                  in the kernel (0/100/1000 ranges, no LSM), and with'
	@echo '                  0-1000 classifier rules; FWCTL_RPC against the'
	@echo '                  unpatched kernel (builds it: slow)'
	@echo '  make stress     slow: stress (4 threads x 10,000 commands under 100'
	@echo '                  policy loads), fuzz (100,000 random mailboxes), TOCTOU'
	@echo '                  and fault-injection runs in one kmemleak boot'
	@echo '  make try POLICY=FILE DOMAIN=TYPE [LABEL=TYPE]'
	@echo '                  send fwctl and DEVX commands from DOMAIN under the'
	@echo '                  test policy plus your rules (policy/try/example.conf)'
	@echo '  make check-series  slow: build at every patch, and the final tree'
	@echo '                  with CONFIG_SECURITY=n and CONFIG_SECURITY_SELINUX=n,'
	@echo '                  with Debian'"'"'s config and gcc-14, and with LLVM=1'
	@echo '  make fresh      slow: make check from a fresh clone in a freshly'
	@echo '                  bootstrapped Debian 12 root (proves make deps)'
	@echo '  make deps       install the Debian packages the pipeline needs'
	@echo '  make base       fetch and verify the pinned 7.3.4 tree (cached)'
	@echo '  make qemu       make the trixie tree with the pinned QEMU (cached)'
	@echo '  make tree       work tree build/linux = base + patches/series (both series)'
	@echo '  make export     regenerate patches/fw and patches/bpf-integrity from the'
	@echo '                  work tree commits (split at patches/series-split)'
	@echo '  make kernel     build the guest kernel from the work tree'
	@echo '  make initramfs  build the guest test programs and initramfs'
	@echo '  make emu        build the emulated ConnectX (vfio-user server)'
	@echo '  make static     checkpatch/kernel-doc/apply checks on patches/'
	@echo '  make host-tests unit tests of the host-side tools'
	@echo '  make opcodes    regenerate policy/kit/mlx5_opcodes.{m4,cil} from the tree'
	@echo '  make kit        check policy/kit/ against Debian 12'"'"'s SELinux policy'
	@echo '  make fuzz       fuzz the emulator (libFuzzer, ASan, UBSan), 500,000'
	@echo '                  runs per target (FWLSM_FUZZ_RUNS)'
	@echo '  make boot       boot the guest and collect its results'
	@echo '  make clean      remove build/ except the work tree'
	@echo 'Caches live in $${FWLSM_CACHE:-/var/cache/fwlsm}.'

deps:
	@$(S)/deps.sh

base: deps
	@$(S)/fetch-base.sh >/dev/null

qemu: deps
	@$(S)/qemu-setup.sh

tree: base
	@$(S)/tree.sh

export:
	@$(S)/export.sh

emu: base
	@$(S)/build-emu.sh

kernel: deps
	@$(S)/build-kernel.sh

initramfs: deps
	@$(S)/build-initramfs.sh

static: tree
	@rm -f build/results/ledger
	@$(S)/check-patches.sh
	@python3 $(S)/results.py --ledger build/results/ledger

host-tests:
	@rm -f build/results/ledger
	@$(S)/host-tests.sh
	@python3 $(S)/results.py --ledger build/results/ledger

boot: qemu
	@$(S)/run-guest.sh $(RUN)
	@rm -f build/results/ledger
	@$(S)/roundtrip.sh $(RUN) build/roundtrip-share
	@$(S)/run-guest.sh --tests nobpfsig --share build/roundtrip-share $(RUN)-nobpfsig
	@$(S)/debian-lsm-boot.sh $(RUN)-debian-lsm
	@$(S)/ksft-guest.sh build/ksft-share
	@$(S)/run-guest.sh --tests ksft --share build/ksft-share $(RUN)-ksft
	@$(S)/run-guest.sh --no-device --tests ksft-nodev --share build/ksft-share $(RUN)-ksft-nodev
	@$(S)/vmtest-smoke.sh build/ksft-share
	@python3 $(S)/results.py --console $(RUN)/console.log \
		--tests $(RUN)/tests.log --expect-tests guest/tests.list \
		--expect-kunit guest/kunit.list --benign guest/benign.list \
		--extra-boot $(RUN)-nobpfsig guest/tests-nobpfsig.list nobpfsig \
		--extra-boot $(RUN)-ksft guest/tests-ksft.list ksft \
		--extra-boot $(RUN)-ksft-nodev guest/tests-ksft-nodev.list ksft-nodev \
		--extra-boot $(RUN)-debian-lsm guest/tests.list debian-lsm \
		--extra-console build/vmtest/console.log vmtest \
		--ledger build/results/ledger

opcodes: tree
	@python3 $(S)/gen-opcodes.py --tree build/linux \
		--describe "Linux 7.3.4 with the fwlsm series" --out policy/kit

kit: tree
	@rm -f build/results/ledger
	@$(S)/policy-kit.sh
	@python3 $(S)/results.py --ledger build/results/ledger

fuzz: base
	@rm -f build/results/ledger
	@$(S)/fuzz-emu.sh
	@python3 $(S)/results.py --ledger build/results/ledger

bench: deps
	@$(S)/bench.sh

stress: deps
	@$(S)/stress.sh

check-series: deps
	@$(S)/check-series.sh

fresh: deps
	@$(S)/fresh.sh

check: deps
	@$(S)/check.sh

demo: deps
	@$(S)/demo.sh

try: deps
	@$(S)/try.sh "$(POLICY)" "$(DOMAIN)" $(LABEL)

clean:
	rm -rf build/kbuild build/initramfs* build/selftests build/run build/run-* \
		build/bpf-keys build/results build/ksft-share build/ksft-guest

distclean:
	rm -rf build
