// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl-send: send one mlx5 command through /dev/fwctl/fwctl0 and say what
 * happened, for the demo.  Usage: fwctl-send OPCODE [OP_MOD]
 * Exit status: 0 delivered, 1 refused by the kernel, 2 usage or set-up.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <fwctl/fwctl.h>

static const char *opcode_name(unsigned int op)
{
	switch (op) {
	case 0x100: return "QUERY_HCA_CAP";
	case 0x101: return "QUERY_ADAPTER";
	case 0x10a: return "QUERY_ISSI";
	case 0x754: return "QUERY_NIC_VPORT_CONTEXT";
	default: return "command";
	}
}

int main(int argc, char **argv)
{
	static uint8_t out[16 + 0x1000];
	uint8_t in[16] = { 0 };
	unsigned int op, op_mod = 0;
	struct fwctl_rpc rpc = {
		.size = sizeof(rpc),
		.scope = FWCTL_RPC_DEBUG_READ_ONLY,
		.in_len = sizeof(in),
		.out_len = sizeof(out),
		.in = (uintptr_t)in,
		.out = (uintptr_t)out,
	};
	uint16_t be;
	int fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s OPCODE [OP_MOD]\n", argv[0]);
		return 2;
	}
	op = strtoul(argv[1], NULL, 0);
	if (argc == 3)
		op_mod = strtoul(argv[2], NULL, 0);
	be = htons(op);
	memcpy(in, &be, 2);
	be = htons(op_mod);
	memcpy(in + 6, &be, 2);

	fd = open("/dev/fwctl/fwctl0", O_RDWR);
	if (fd < 0) {
		perror("/dev/fwctl/fwctl0");
		return 2;
	}
	if (ioctl(fd, FWCTL_RPC, &rpc)) {
		printf("%s (0x%04x): refused: %s\n", opcode_name(op), op,
		       strerror(errno));
		return 1;
	}
	printf("%s (0x%04x): delivered, firmware status 0x%02x\n",
	       opcode_name(op), op, out[0]);
	close(fd);
	return 0;
}
