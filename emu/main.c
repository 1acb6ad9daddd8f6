// SPDX-License-Identifier: GPL-2.0
/*
 * mlx5-emu: a vfio-user server modelling a minimal ConnectX-5 PF, enough for
 * the unmodified mlx5_core driver to probe and create its fwctl device.
 *
 *   mlx5-emu --socket PATH [--log FILE] [--state FILE]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "vfu.h"

static void usage(const char *p)
{
	fprintf(stderr,
		"usage: %s --socket PATH [--log FILE] [--state FILE]\n"
		"  --socket PATH  listen for one vfio-user client (QEMU vfio-user-pci)\n"
		"  --log FILE     oracle log: one line per command, flushed\n"
		"                 (cmd opcode=0x%%04x op_mod=0x%%04x uid=%%u inlen=%%u status=0x%%02x,\n"
		"                 then \" tunnel=%%u\" if vhca_tunnel_id != 0)\n"
		"  --state FILE   rewritten on every change: uctx_live=N, obj_live=N, umem_live=N,\n"
		"                 tunnel_obj_live=N\n", p);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "log", required_argument, NULL, 'l' },
		{ "state", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sock_path = NULL, *log_path = NULL, *state_path = NULL;
	static struct mlx5_emu emu;
	static struct vfu_server srv;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int c, lfd, cfd, r;

	while ((c = getopt_long(argc, argv, "s:l:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': sock_path = optarg; break;
		case 'l': log_path = optarg; break;
		case 't': state_path = optarg; break;
		default: usage(argv[0]); return c == 'h' ? 0 : 2;
		}
	}
	if (!sock_path || optind != argc) {
		usage(argv[0]);
		return 2;
	}
	if (strlen(sock_path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "mlx5-emu: socket path too long\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);

	emu_init(&emu, &srv.dma);
	emu.log = log_path ? fopen(log_path, "a") : stderr;
	if (!emu.log) {
		perror(log_path);
		return 1;
	}
	emu.state_path = state_path;
	if (state_path) {
		FILE *f = fopen(state_path, "w");

		if (!f) {
			perror(state_path);
			return 1;
		}
		fclose(f);
		emu_state_write(&emu);
	}

	strcpy(sa.sun_path, sock_path);
	unlink(sock_path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1)) {
		perror(sock_path);
		return 1;
	}
	emu_log(&emu, "listening on %s", sock_path);
	do
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	while (cfd < 0 && errno == EINTR);
	if (cfd < 0) {
		perror("accept");
		return 1;
	}
	close(lfd);
	unlink(sock_path);
	emu_log(&emu, "client connected");

	/* srv.dma is the table emu already points at */
	{
		struct dma_table keep = srv.dma;

		vfu_init(&srv, cfd, &emu);
		srv.dma = keep;
	}
	emu.irq = vfu_irq;
	emu.irq_opaque = &srv;

	while ((r = vfu_handle_one(&srv)) > 0)
		;
	emu_log(&emu, "client %s after %lu messages (%lu error replies), %lu commands",
		r == 0 ? "disconnected" : "dropped", srv.nmsgs, srv.nerrs, emu.ncmds);
	vfu_fini(&srv);
	emu_fini(&emu);
	close(cfd);
	return r < 0 ? 1 : 0;
}
