/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one mlx5 RPC that fwctl-send and fwctl-bench send through
 * /dev/fwctl/fwctl0: a 16-byte mailbox with the opcode and op_mod, read-only
 * debug scope, room for any query's output.
 */
#ifndef FWLSM_FWCTL_RPC_H
#define FWLSM_FWCTL_RPC_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <fwctl/fwctl.h>

struct mlx5_rpc {
	uint8_t in[16];
	uint8_t out[16 + 0x1000];
	struct fwctl_rpc rpc;
};

/* Fill @r for OPCODE/OP_MOD and open the device: its fd, or -1 (reported). */
static int mlx5_rpc_open(struct mlx5_rpc *r, unsigned int op, unsigned int op_mod)
{
	uint16_t be;
	int fd;

	memset(r, 0, sizeof(*r));
	be = htons(op);
	memcpy(r->in, &be, 2);
	be = htons(op_mod);
	memcpy(r->in + 6, &be, 2);
	r->rpc.size = sizeof(r->rpc);
	r->rpc.scope = FWCTL_RPC_DEBUG_READ_ONLY;
	r->rpc.in_len = sizeof(r->in);
	r->rpc.out_len = sizeof(r->out);
	r->rpc.in = (uintptr_t)r->in;
	r->rpc.out = (uintptr_t)r->out;
	fd = open("/dev/fwctl/fwctl0", O_RDWR);
	if (fd < 0)
		perror("/dev/fwctl/fwctl0");
	return fd;
}

#endif
