// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl-send: send one mlx5 command through /dev/fwctl/fwctl0 and say what
 * happened, for the demo.  Usage: fwctl-send [-s SCOPE] [-r REG] OPCODE
 * [OP_MOD], SCOPE one of config, debug_read (the default), debug_write;
 * -r REG sends a 32-byte ACCESS_REG-style mailbox whose register_id
 * (bytes 10-11) is REG.
 * Exit status: 0 delivered, 1 refused by the kernel, 2 usage or set-up.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fwctl-rpc.h"

static const char *opcode_name(unsigned int op)
{
	switch (op) {
	case 0x100: return "QUERY_HCA_CAP";
	case 0x101: return "QUERY_ADAPTER";
	case 0x10a: return "QUERY_ISSI";
	case 0x754: return "QUERY_NIC_VPORT_CONTEXT";
	case 0x805: return "ACCESS_REG";
	default: return "command";
	}
}

static const char *const scope_names[] = {
	[FWCTL_RPC_CONFIGURATION] = "config",
	[FWCTL_RPC_DEBUG_READ_ONLY] = "debug_read",
	[FWCTL_RPC_DEBUG_WRITE] = "debug_write",
};

int main(int argc, char **argv)
{
	static struct mlx5_rpc r;
	static uint8_t in32[32];
	unsigned int op, op_mod = 0, scope = FWCTL_RPC_DEBUG_READ_ONLY, i;
	long reg = -1;
	int fd;

	if (argc > 2 && !strcmp(argv[1], "-s")) {
		for (i = 0; i < sizeof(scope_names) / sizeof(scope_names[0]); i++)
			if (!strcmp(argv[2], scope_names[i]))
				break;
		if (i == sizeof(scope_names) / sizeof(scope_names[0])) {
			fprintf(stderr, "%s: unknown scope %s\n", argv[0], argv[2]);
			return 2;
		}
		scope = i;
		argc -= 2;
		argv += 2;
	}
	if (argc > 2 && !strcmp(argv[1], "-r")) {
		reg = strtol(argv[2], NULL, 0);
		argc -= 2;
		argv += 2;
	}
	if (argc < 2 || argc > 3 || reg > 0xffff) {
		fprintf(stderr, "usage: %s [-s SCOPE] [-r REG] OPCODE [OP_MOD]\n",
			argv[0]);
		return 2;
	}
	op = strtoul(argv[1], NULL, 0);
	if (argc == 3)
		op_mod = strtoul(argv[2], NULL, 0);
	fd = mlx5_rpc_open(&r, op, op_mod);
	if (fd < 0)
		return 2;
	r.rpc.scope = scope;
	if (reg >= 0) {
		uint16_t be = htons(reg);

		memcpy(in32, r.in, sizeof(r.in));
		memcpy(in32 + 10, &be, sizeof(be));
		r.rpc.in = (uintptr_t)in32;
		r.rpc.in_len = sizeof(in32);
	}
	if (ioctl(fd, FWCTL_RPC, &r.rpc)) {
		printf("%s (0x%04x, %s): refused: %s\n", opcode_name(op), op,
		       scope_names[scope], strerror(errno));
		return 1;
	}
	printf("%s (0x%04x, %s): delivered, firmware status 0x%02x\n",
	       opcode_name(op), op, scope_names[scope], r.out[0]);
	close(fd);
	return 0;
}
