// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-vfu: the vfio-user server under libFuzzer.  Each input is one client
 * connection (format in fuzz.h): the harness writes its bytes into one end
 * of a socketpair, with memfds, eventfds or pipes attached by SCM_RIGHTS as
 * the input says, while the server end is handled by vfu_handle_one(), the
 * loop of mlx5-emu's main(), until it reports the end of the connection.
 * A second thread (one for the whole run: a thread per input costs more
 * than the input under ASan) does the client's writing and reads (and
 * discards) the replies, so that neither side can block the other.  After
 * each input the harness checks that the server closed every fd it
 * received and (every 64th input) that no guest-RAM mapping is left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <dirent.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "vfu.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_CHUNKS	512
#define MAX_FDS_PER_INPUT 64	/* fds the harness sends in one input */

struct chunk {
	uint8_t kind, arg;
	const uint8_t *p;
	uint32_t len;
};

struct client {
	int sock;
	struct chunk *c;
	unsigned int n;
	unsigned int fds_made;
};

static int ram_fd = -1;
static FILE *devnull;
static struct mlx5_emu emu;
static struct vfu_server srv;
static struct chunk chunks[MAX_CHUNKS];
static unsigned long iter;
static struct client client;
static sem_t client_go, client_done;

static uint32_t le(const uint8_t *p, unsigned int n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* split the input; VFU_CH_RAM chunks are applied to guest RAM at once */
static unsigned int parse(const uint8_t *d, size_t size)
{
	unsigned int n = 0;
	size_t i = 0;

	while (i < size && n < MAX_CHUNKS) {
		uint8_t ctl = d[i++], kind = ctl >> 5;
		uint32_t len;

		if (kind == VFU_CH_RAM) {
			uint32_t off;

			if (size - i < 5)
				break;
			off = le(d + i, 4) % FUZZ_VFU_RAM;
			len = d[i + 4];
			i += 5;
			if (len > size - i)
				len = size - i;
			if (len > FUZZ_VFU_RAM - off)
				len = FUZZ_VFU_RAM - off;
			if (pwrite(ram_fd, d + i, len, off) != (ssize_t)len)
				abort();
			i += len;
			continue;
		}
		if (size - i < 2)
			break;
		len = le(d + i, 2);
		i += 2;
		if (len > size - i)
			len = size - i;
		chunks[n].kind = kind > VFU_CH_PIPE ? VFU_CH_DATA : kind;
		chunks[n].arg = ctl & 31;
		chunks[n].p = d + i;
		chunks[n].len = len;
		n++;
		i += len;
	}
	return n;
}

static void drain(int sock)
{
	uint8_t buf[16384];

	while (recv(sock, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/* wait until sock can take more (draining replies meanwhile); 0 or -1 */
static int wait_writable(int sock)
{
	struct pollfd p = { .fd = sock, .events = POLLIN | POLLOUT };

	for (;;) {
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p.revents & POLLIN)
			drain(sock);
		if (p.revents & (POLLERR | POLLHUP))
			return -1;
		if (p.revents & POLLOUT)
			return 0;
	}
}

/* the fds a chunk carries: created here, closed once sent */
static int make_fds(struct client *cl, const struct chunk *c, int *fds)
{
	int n = 0, i, pfd[2];

	switch (c->kind) {
	case VFU_CH_MEMFD:
		if (cl->fds_made < MAX_FDS_PER_INPUT)
			fds[n++] = dup(ram_fd);
		break;
	case VFU_CH_EVENTFD:
		for (i = 0; i < c->arg % 20 + 1 && cl->fds_made + n < MAX_FDS_PER_INPUT; i++)
			fds[n++] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		break;
	case VFU_CH_PIPE:
		if (cl->fds_made >= MAX_FDS_PER_INPUT)
			break;
		if (pipe2(pfd, O_CLOEXEC))
			abort();
		close(pfd[1]);
		fds[n++] = pfd[0];
		break;
	}
	for (i = 0; i < n; i++)
		if (fds[i] < 0)
			abort();
	cl->fds_made += n;
	return n;
}

static int send_chunk(struct client *cl, const struct chunk *c)
{
	union {
		char buf[CMSG_SPACE(20 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	int fds[20], nfds = make_fds(cl, c, fds), i, r = 0;
	uint32_t done = 0;

	while (done < c->len || (nfds && !done)) {
		struct iovec iov = { (void *)(c->p + done), c->len - done };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (!c->len)
			break;	/* fds cannot travel without a byte */
		if (nfds && !done) {
			struct cmsghdr *h;

			mh.msg_control = ctl.buf;
			mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
			h = CMSG_FIRSTHDR(&mh);
			h->cmsg_level = SOL_SOCKET;
			h->cmsg_type = SCM_RIGHTS;
			h->cmsg_len = CMSG_LEN(nfds * sizeof(int));
			memcpy(CMSG_DATA(h), fds, nfds * sizeof(int));
		}
		n = sendmsg(cl->sock, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			done += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    !wait_writable(cl->sock))
			continue;
		r = -1;		/* the server has gone */
		break;
	}
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	return r;
}

static void *client_main(void *arg)
{
	struct client *cl = arg;
	unsigned int i;
	uint8_t buf[4096];

	for (;;) {
		while (sem_wait(&client_go))
			;
		for (i = 0; i < cl->n; i++)
			if (send_chunk(cl, &cl->c[i]))
				break;
		shutdown(cl->sock, SHUT_WR);
		/* read the replies until the server closes its end */
		while (recv(cl->sock, buf, sizeof(buf), 0) > 0)
			;
		sem_post(&client_done);
	}
	return NULL;
}

/* the number of open fds (one directory read, cheaper than probing each) */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		abort();
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int ram_mappings(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0;

	if (!f)
		abort();
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "/memfd:fuzz-guest-ram"))
			n++;
	fclose(f);
	return n;
}

/* the log's sink: formatted, then dropped without a system call */
static ssize_t discard(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	(void)buf;
	return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	pthread_t th;

	(void)argc;
	(void)argv;
	ram_fd = memfd_create("fuzz-guest-ram", MFD_CLOEXEC);
	/* FUZZ_EMU_LOG=1: the emulator's log on stderr, to replay one input */
	devnull = getenv("FUZZ_EMU_LOG") ? stderr :
		  fopencookie(NULL, "w", (cookie_io_functions_t){ .write = discard });
	if (ram_fd < 0 || !devnull || sem_init(&client_go, 0, 0) || sem_init(&client_done, 0, 0))
		abort();
	if (pthread_create(&th, NULL, client_main, &client))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct client *cl = &client;
	/* every fd the input opens must be closed again at its end */
	int fds_before = count_fds(), fds_after;
	int sv[2];

	/* fresh, all-zero guest RAM */
	if (ftruncate(ram_fd, 0) || ftruncate(ram_fd, FUZZ_VFU_RAM))
		abort();
	memset(cl, 0, sizeof(*cl));
	cl->n = parse(data, size);
	cl->c = chunks;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	cl->sock = sv[0];

	emu_init(&emu, &srv.dma);
	emu.log = devnull;
	/* no state file: rewriting one per object costs more than the command */
	emu.state_path = NULL;
	vfu_init(&srv, sv[1], &emu);
	emu.irq = vfu_irq;
	emu.irq_opaque = &srv;

	sem_post(&client_go);
	while (vfu_handle_one(&srv) > 0)
		;
	/* as main() does at the end of a connection */
	vfu_fini(&srv);
	emu_fini(&emu);
	close(sv[1]);
	while (sem_wait(&client_done))
		;
	close(sv[0]);

	fds_after = count_fds();
	if (fds_after != fds_before) {
		fprintf(stderr, "fuzz-vfu: %d fds open before the connection, %d after\n",
			fds_before, fds_after);
		abort();
	}
	if (++iter % 64 == 0 && ram_mappings()) {
		fprintf(stderr, "fuzz-vfu: guest RAM still mapped after the connection\n");
		abort();
	}
	return 0;
}
