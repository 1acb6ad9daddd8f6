// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-side smoke test for mlx5-emu: open /dev/fwctl/fwctl0 (CREATE_UCTX),
 * FWCTL_INFO, FWCTL_RPC QUERY_HCA_CAP and QUERY_ADAPTER, close
 * (DESTROY_UCTX).  Prints "fwctl-smoke: PASS" on success.  Static binary.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <fwctl/fwctl.h>
#include <fwctl/mlx5.h>

#define OP_QUERY_HCA_CAP	0x100	/* MLX5_CMD_OP_QUERY_HCA_CAP */
#define OP_QUERY_ADAPTER	0x101	/* MLX5_CMD_OP_QUERY_ADAPTER */

static int rpc(int fd, uint16_t op, uint16_t op_mod, uint32_t *out, uint32_t outlen)
{
	uint32_t in[4] = { 0 };
	struct fwctl_rpc r = {
		.size = sizeof(r), .scope = FWCTL_RPC_DEBUG_READ_ONLY,
		.in_len = sizeof(in), .out_len = outlen,
		.in = (uintptr_t)in, .out = (uintptr_t)out,
	};
	int ret;

	in[0] = __builtin_bswap32((uint32_t)op << 16);
	in[1] = __builtin_bswap32(op_mod);
	memset(out, 0, outlen);
	ret = ioctl(fd, FWCTL_RPC, &r);
	printf("fwctl-smoke: RPC opcode 0x%04x op_mod 0x%x: ret %d (%s), fw status 0x%02x\n",
	       op, op_mod, ret, ret ? strerror(errno) : "ok",
	       __builtin_bswap32(out[0]) >> 24);
	return ret;
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/fwctl/fwctl0";
	static uint32_t out[4112 / 4];
	struct fwctl_info_mlx5 mi = { 0 };
	struct fwctl_info info = {
		.size = sizeof(info), .device_data_len = sizeof(mi),
		.out_device_data = (uintptr_t)&mi,
	};
	int fd, fails = 0;

	fd = open(dev, O_RDWR);
	if (fd < 0) {
		printf("fwctl-smoke: open %s: %s\nfwctl-smoke: FAIL\n", dev, strerror(errno));
		return 1;
	}
	if (ioctl(fd, FWCTL_INFO, &info)) {
		printf("fwctl-smoke: FWCTL_INFO: %s\n", strerror(errno));
		fails++;
	} else {
		printf("fwctl-smoke: device type %u (mlx5=%u) uid %u uctx_caps 0x%x\n",
		       info.out_device_type, FWCTL_DEVICE_TYPE_MLX5, mi.uid, mi.uctx_caps);
		if (info.out_device_type != FWCTL_DEVICE_TYPE_MLX5 || !mi.uid)
			fails++;
	}
	if (rpc(fd, OP_QUERY_HCA_CAP, 1, out, sizeof(out)))
		fails++;
	else
		/* port_type is bits 0x1b6..0x1b7 of the capability at byte 16 */
		printf("fwctl-smoke: cap dword 0x0d = 0x%08x\n",
		       __builtin_bswap32(out[4 + 0x1b6 / 32]));
	if (rpc(fd, OP_QUERY_ADAPTER, 0, out, 0x110))
		fails++;
	close(fd);
	printf("fwctl-smoke: %s\n", fails ? "FAIL" : "PASS");
	return !!fails;
}
