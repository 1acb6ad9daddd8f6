// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl-bench: time N FWCTL_RPC round trips of one mlx5 command.
 * Usage: fwctl-bench N OPCODE [OP_MOD]
 * Prints "rpcs=N ns_per_rpc=X errors=E" on one line.
 */
#include <stdlib.h>
#include <time.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fwctl-rpc.h"

int main(int argc, char **argv)
{
	static struct mlx5_rpc r;
	struct timespec a, b;
	unsigned long n, i, errors = 0;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s N OPCODE [OP_MOD]\n", argv[0]);
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	fd = mlx5_rpc_open(&r, strtoul(argv[2], NULL, 0),
			   argc > 3 ? strtoul(argv[3], NULL, 0) : 0);
	if (fd < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		r.rpc.out_len = sizeof(r.out);
		if (ioctl(fd, FWCTL_RPC, &r.rpc) || r.out[0])
			errors++;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("rpcs=%lu ns_per_rpc=%llu errors=%lu\n", n,
	       ((b.tv_sec - a.tv_sec) * 1000000000ULL + b.tv_nsec - a.tv_nsec) / (n ? n : 1),
	       errors);
	close(fd);
	return errors ? 1 : 0;
}
