// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl-bench: time N FWCTL_RPC round trips of one mlx5 command.
 * Usage: fwctl-bench N OPCODE [OP_MOD]
 * Prints "rpcs=N ns_per_rpc=X errors=E" on one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <fwctl/fwctl.h>

int main(int argc, char **argv)
{
	static uint8_t out[16 + 0x1000];
	uint8_t in[16] = { 0 };
	struct fwctl_rpc rpc = {
		.size = sizeof(rpc),
		.scope = FWCTL_RPC_DEBUG_READ_ONLY,
		.in_len = sizeof(in),
		.out_len = sizeof(out),
		.in = (uintptr_t)in,
		.out = (uintptr_t)out,
	};
	struct timespec a, b;
	unsigned long n, i, errors = 0;
	uint16_t be;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s N OPCODE [OP_MOD]\n", argv[0]);
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	be = htons(strtoul(argv[2], NULL, 0));
	memcpy(in, &be, 2);
	be = htons(argc > 3 ? strtoul(argv[3], NULL, 0) : 0);
	memcpy(in + 6, &be, 2);
	fd = open("/dev/fwctl/fwctl0", O_RDWR);
	if (fd < 0) {
		perror("/dev/fwctl/fwctl0");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		rpc.out_len = sizeof(out);
		if (ioctl(fd, FWCTL_RPC, &rpc) || out[0])
			errors++;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("rpcs=%lu ns_per_rpc=%llu errors=%lu\n", n,
	       ((b.tv_sec - a.tv_sec) * 1000000000ULL + b.tv_nsec - a.tv_nsec) / (n ? n : 1),
	       errors);
	close(fd);
	return errors ? 1 : 0;
}
