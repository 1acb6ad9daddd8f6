/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Input formats of the emulator's fuzz targets, shared by the harnesses and
 * the seed generator (mkseeds.c).  Multi-byte numbers in the framing are
 * little-endian; what goes into guest memory or a vfio-user message is
 * copied as is.
 */
#ifndef EMU_FUZZ_H
#define EMU_FUZZ_H

/*
 * fuzz-vfu: a client connection.  The input is a list of chunks, each
 * starting with a control byte: kind = ctl >> 5, arg = ctl & 31.
 *
 *   VFU_CH_DATA     u16 len, len bytes: written to the socket as they are
 *                   (the bytes need not line up with messages)
 *   VFU_CH_MEMFD    the same, sent with the client's guest-RAM memfd
 *                   (FUZZ_VFU_RAM bytes) attached by SCM_RIGHTS
 *   VFU_CH_EVENTFD  the same, with (arg % 20) + 1 fresh eventfds attached
 *                   (more than the server's 16 is allowed)
 *   VFU_CH_PIPE     the same, with the read end of a pipe attached (an fd
 *                   that cannot be mmapped)
 *   VFU_CH_RAM      u32 off, u8 len, len bytes: stored in guest RAM at
 *                   off % FUZZ_VFU_RAM before the connection starts (all
 *                   VFU_CH_RAM chunks are applied first, so that what the
 *                   server finds there does not depend on timing)
 *   other kinds     as VFU_CH_DATA
 *
 * A length beyond the end of the input takes what is left.
 */
enum {
	VFU_CH_DATA = 0,
	VFU_CH_MEMFD = 1,
	VFU_CH_EVENTFD = 2,
	VFU_CH_PIPE = 3,
	VFU_CH_RAM = 4,
};
#define FUZZ_VFU_RAM	(1u << 20)

/*
 * fuzz-cmd: what a driver does to the device's BAR0 and guest memory.
 * Guest memory: FUZZ_GPA.. (FUZZ_GSIZE, writable), FUZZ_RO_GPA (one
 * read-only page), FUZZ_NOFD_GPA (one page mapped without an fd).  Each
 * input starts from a fresh device whose command queue is at FUZZ_CMDQ.
 * The input is a list of operations, each starting with a byte op:
 *
 *   CMD_OP_CMD       u8 slot (% 32), u8 chain, u8 k, u8 lenmode,
 *                    inlen (u32 if lenmode & 1, else u16),
 *                    outlen (u32 if lenmode & 2, else u16),
 *                    then min(inlen, left) bytes of inbox
 *                    The harness writes the descriptor into the slot at
 *                    the queue's current address (if that is guest
 *                    memory), the inbox's first 16 bytes inline and the
 *                    rest into a mailbox chain at FUZZ_MBOX_IN, an outbox
 *                    chain at FUZZ_MBOX_OUT, and rings the slot's
 *                    doorbell through a BAR0 write.  chain bits 0-2 break
 *                    the inbox chain at block k (CHAIN_*), bits 3-5 the
 *                    outbox chain, bit 6 leaves the slot owned by software,
 *                    bit 7 puts the outbox chain in the read-only page.
 *   CMD_OP_GMEM      u32 off, u8 len, len bytes: stored at FUZZ_GPA + off
 *                    % FUZZ_GSIZE
 *   CMD_OP_BAR_WRITE u32 off, u8 len, len bytes: emu_bar0_write
 *   CMD_OP_BAR_READ  u32 off, u16 len: emu_bar0_read
 *   CMD_OP_CFG       u16 off, u8 len, u8 write, (write: len bytes)
 *   CMD_OP_RESET     emu_reset
 *   CMD_OP_DOORBELL  u32 mask: written to the doorbell register
 *   CMD_OP_REPEAT    u16 n: the last CMD_OP_CMD n % (CMD_REPEAT_MAX + 1)
 *                    times more, descriptor and chains rewritten each time
 *                    (enough to fill the EQ table; the object and UAR
 *                    tables take hundreds, which would make every input
 *                    derived from such a seed slow: the unit tests fill
 *                    those)
 *   other ops        end of input
 */
enum {
	CMD_OP_CMD = 0,
	CMD_OP_GMEM = 1,
	CMD_OP_BAR_WRITE = 2,
	CMD_OP_BAR_READ = 3,
	CMD_OP_CFG = 4,
	CMD_OP_RESET = 5,
	CMD_OP_DOORBELL = 6,
	CMD_OP_REPEAT = 7,
};
#define CMD_REPEAT_MAX	64
enum {
	CHAIN_OK = 0,		/* 0..3: well formed */
	CHAIN_BLOCK_NUM = 4,	/* block k carries the wrong block_num */
	CHAIN_LOOP = 5,		/* block k points back at itself */
	CHAIN_NULL = 6,		/* the pointer to block k is 0 */
	CHAIN_UNALIGNED = 7,	/* the pointer to block k is not 1 KiB aligned */
};
#define CMD_CHAIN_SW_OWNED	0x40
#define CMD_CHAIN_OUT_RO	0x80

#define FUZZ_GPA	0x100000ull
#define FUZZ_GSIZE	(1u << 20)
#define FUZZ_CMDQ	(FUZZ_GPA + 0x1000)
#define FUZZ_FREE	(FUZZ_GPA + 0x4000)	/* for EQs, umem pages, ... */
#define FUZZ_MBOX_IN	(FUZZ_GPA + 0x10000)
#define FUZZ_MBOX_IN_N	384			/* blocks, 1 KiB apart */
#define FUZZ_MBOX_OUT	(FUZZ_GPA + 0x70000)
#define FUZZ_MBOX_OUT_N	512
#define FUZZ_RO_GPA	0x300000ull
#define FUZZ_NOFD_GPA	0x400000ull

#endif
