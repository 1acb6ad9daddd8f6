// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-user server: one client connection, messages handled strictly in
 * order.  Written from QEMU's docs/interop/vfio-user.rst.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "vfu.h"

static const char version_json[] =
	"{\"capabilities\":{\"max_msg_fds\":16,\"max_data_xfer_size\":1048576,"
	"\"pgsizes\":4096,\"max_dma_maps\":65535}}";

/* VFIO flag values (linux/vfio.h) */
#define VFIO_DEVICE_FLAGS_RESET		(1 << 0)
#define VFIO_DEVICE_FLAGS_PCI		(1 << 1)
#define VFIO_REGION_INFO_FLAG_READ	(1 << 0)
#define VFIO_REGION_INFO_FLAG_WRITE	(1 << 1)
#define VFIO_IRQ_INFO_EVENTFD		(1 << 0)
#define VFIO_IRQ_INFO_MASKABLE		(1 << 1)
#define VFIO_IRQ_INFO_AUTOMASKED	(1 << 2)
#define VFIO_IRQ_INFO_NORESIZE		(1 << 3)
#define VFIO_IRQ_SET_DATA_NONE		(1 << 0)
#define VFIO_IRQ_SET_DATA_BOOL		(1 << 1)
#define VFIO_IRQ_SET_DATA_EVENTFD	(1 << 2)
#define VFIO_IRQ_SET_ACTION_MASK	(1 << 3)
#define VFIO_IRQ_SET_ACTION_UNMASK	(1 << 4)
#define VFIO_IRQ_SET_ACTION_TRIGGER	(1 << 5)
#define VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP	(1 << 0)
#define VFIO_DMA_UNMAP_FLAG_ALL			(1 << 1)

struct msg {
	struct vfu_hdr hdr;
	uint8_t *body;
	uint32_t len;		/* body length */
	int fds[VFU_MAX_FDS];
	int nfds;
};

static const uint32_t irq_count[VFU_NUM_IRQS] = {
	[VFU_IRQ_INTX] = 1, [VFU_IRQ_MSI] = 0, [VFU_IRQ_MSIX] = EMU_MSIX_VECTORS,
	[VFU_IRQ_ERR] = 1, [VFU_IRQ_REQ] = 1,
};

void vfu_init(struct vfu_server *s, int sock, struct mlx5_emu *emu)
{
	int i, j;

	memset(s, 0, sizeof(*s));
	s->sock = sock;
	s->emu = emu;
	dma_init(&s->dma);
	for (i = 0; i < VFU_NUM_IRQS; i++)
		for (j = 0; j < VFU_MAX_IRQ_VEC; j++)
			s->irq_fd[i][j] = -1;
}

static void irq_close(struct vfu_server *s, int idx, uint32_t start, uint32_t count)
{
	uint32_t i;

	for (i = start; i < start + count && i < VFU_MAX_IRQ_VEC; i++) {
		if (s->irq_fd[idx][i] >= 0)
			close(s->irq_fd[idx][i]);
		s->irq_fd[idx][i] = -1;
	}
}

void vfu_fini(struct vfu_server *s)
{
	int i;

	for (i = 0; i < VFU_NUM_IRQS; i++)
		irq_close(s, i, 0, VFU_MAX_IRQ_VEC);
	dma_remove_all(&s->dma);
}

void vfu_irq(void *opaque, unsigned int vec)
{
	struct vfu_server *s = opaque;
	uint64_t one = 1;
	int fd;

	if (vec >= VFU_MAX_IRQ_VEC || (fd = s->irq_fd[VFU_IRQ_MSIX][vec]) < 0) {
		emu_log(s->emu, "error: MSI-X vector %u has no eventfd", vec);
		return;
	}
	if (write(fd, &one, sizeof(one)) != sizeof(one))
		emu_log(s->emu, "error: MSI-X vector %u: eventfd write: %s", vec,
			strerror(errno));
}

static int read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static void close_fds(struct msg *m)
{
	int i;

	for (i = 0; i < m->nfds; i++)
		if (m->fds[i] >= 0)
			close(m->fds[i]);
	m->nfds = 0;
}

/* Receive the header with any SCM_RIGHTS fds, then the body. */
static int recv_msg(struct vfu_server *s, struct msg *m)
{
	union {
		char buf[CMSG_SPACE(VFU_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { &m->hdr, sizeof(m->hdr) };
	struct msghdr mh = { 0 };
	struct cmsghdr *c;
	ssize_t n;

	memset(m, 0, sizeof(*m));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	do
		n = recvmsg(s->sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	if (n < 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int), i;
			int *fds = (int *)CMSG_DATA(c);

			for (i = 0; i < k; i++) {
				if (m->nfds < VFU_MAX_FDS)
					m->fds[m->nfds++] = fds[i];
				else
					close(fds[i]);
			}
		}
	}
	if (mh.msg_flags & MSG_CTRUNC)
		emu_log(s->emu, "error: vfio-user: too many fds, some dropped");
	if ((size_t)n < sizeof(m->hdr) &&
	    read_full(s->sock, (uint8_t *)&m->hdr + n, sizeof(m->hdr) - n))
		return -1;
	if (m->hdr.size < sizeof(m->hdr) || m->hdr.size > VFU_MAX_MSG)
		return -2;	/* cannot resynchronise: caller replies and drops */
	m->len = m->hdr.size - sizeof(m->hdr);
	m->body = malloc(m->len ? m->len : 1);
	if (!m->body)
		return -1;
	if (m->len && read_full(s->sock, m->body, m->len))
		return -1;
	return 1;
}

static int reply(struct vfu_server *s, const struct msg *m, int err,
		 const void *body, uint32_t len)
{
	struct vfu_hdr h = {
		.msg_id = m->hdr.msg_id,
		.cmd = m->hdr.cmd,
		.size = sizeof(h) + (err ? 0 : len),
		.flags = VFU_F_TYPE_REPLY | (err ? VFU_F_ERROR : 0),
		.error = err,
	};

	if (m->hdr.flags & VFU_F_NO_REPLY)
		return 0;
	if (err) {
		s->nerrs++;
		return write_full(s->sock, &h, sizeof(h));
	}
	{
		uint8_t *buf = malloc(sizeof(h) + len);
		int r;

		if (!buf)
			return -1;
		memcpy(buf, &h, sizeof(h));
		if (len)
			memcpy(buf + sizeof(h), body, len);
		r = write_full(s->sock, buf, sizeof(h) + len);
		free(buf);
		return r;
	}
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static int do_version(struct vfu_server *s, struct msg *m)
{
	uint8_t out[4 + sizeof(version_json)];
	uint16_t major, minor;

	if (m->len < 4)
		return -EINVAL;
	memcpy(&major, m->body, 2);
	memcpy(&minor, m->body + 2, 2);
	if (major != 0) {
		emu_log(s->emu, "error: vfio-user: client version %u.%u unsupported",
			major, minor);
		return -ENOTSUP;
	}
	/* QEMU 11.1 accepts only 0.0 from the server. */
	memset(out, 0, 4);
	memcpy(out + 4, version_json, sizeof(version_json));
	s->version_done = 1;
	emu_log(s->emu, "vfio-user: version %u.%u negotiated as 0.0", major, minor);
	return reply(s, m, 0, out, sizeof(out)) ? -EPIPE : 0;
}

static int do_dma_map(struct vfu_server *s, struct msg *m)
{
	uint32_t argsz, flags;
	uint64_t off, iova, size;
	void *base = NULL, *host = NULL;
	size_t maplen = 0;
	int r;

	if (m->len < 32 || (argsz = get32(m->body)) < 32 || m->nfds > 1)
		return -EINVAL;
	flags = get32(m->body + 4);
	off = get64(m->body + 8);
	iova = get64(m->body + 16);
	size = get64(m->body + 24);
	if (!size || iova + size - 1 < iova)
		return -EINVAL;
	if (m->nfds == 1) {
		uint64_t pg = off & 4095;
		int prot = ((flags & 1) ? PROT_READ : 0) | ((flags & 2) ? PROT_WRITE : 0);
		struct stat st;

		/*
		 * A mapping that runs past the end of the file would raise
		 * SIGBUS on the first command that touches it: the whole
		 * window must be inside the file.
		 */
		if (fstat(m->fds[0], &st))
			return -errno;
		if (S_ISREG(st.st_mode) &&
		    (off > (uint64_t)st.st_size || size > (uint64_t)st.st_size - off)) {
			emu_log(s->emu, "error: DMA_MAP 0x%llx+0x%llx at file offset 0x%llx: "
				"beyond the end of the fd (0x%llx bytes)",
				(unsigned long long)iova, (unsigned long long)size,
				(unsigned long long)off, (unsigned long long)st.st_size);
			return -EINVAL;
		}
		if (size > SIZE_MAX - pg)
			return -EINVAL;
		maplen = size + pg;
		base = mmap(NULL, maplen, prot ? prot : PROT_READ, MAP_SHARED,
			    m->fds[0], off - pg);
		if (base == MAP_FAILED) {
			emu_log(s->emu, "error: DMA_MAP 0x%llx+0x%llx: mmap: %s",
				(unsigned long long)iova, (unsigned long long)size,
				strerror(errno));
			return -errno;
		}
		host = (uint8_t *)base + pg;
	}
	r = dma_add(&s->dma, iova, size, (flags & 1) ? host : NULL, !!(flags & 2),
		    base, maplen);
	if (r) {
		if (base)
			munmap(base, maplen);
		return r;
	}
	return reply(s, m, 0, NULL, 0) ? -EPIPE : 0;
}

static int do_dma_unmap(struct vfu_server *s, struct msg *m)
{
	uint32_t argsz, flags;
	uint64_t iova, size;

	if (m->len < 24 || (argsz = get32(m->body)) < 24)
		return -EINVAL;
	flags = get32(m->body + 4);
	iova = get64(m->body + 8);
	size = get64(m->body + 16);
	if (flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP)
		return -ENOTSUP;
	if (flags & VFIO_DMA_UNMAP_FLAG_ALL)
		dma_remove_all(&s->dma);
	else if (dma_remove(&s->dma, iova, size))
		return -ENOENT;
	return reply(s, m, 0, m->body, 24) ? -EPIPE : 0;
}

static int do_get_info(struct vfu_server *s, struct msg *m)
{
	uint32_t out[4] = { 16, VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_PCI,
			    VFU_NUM_REGIONS, VFU_NUM_IRQS };

	if (m->len < 16 || get32(m->body) < 16)
		return -EINVAL;
	return reply(s, m, 0, out, sizeof(out)) ? -EPIPE : 0;
}

static int do_region_info(struct vfu_server *s, struct msg *m)
{
	uint8_t out[32] = { 0 };
	uint32_t index, flags = 0, v;
	uint64_t size = 0;

	if (m->len < 32 || get32(m->body) < 32)
		return -EINVAL;
	index = get32(m->body + 8);
	if (index >= VFU_NUM_REGIONS)
		return -EINVAL;
	if (index == VFU_REGION_BAR0) {
		size = EMU_BAR0_SIZE;
		flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	} else if (index == VFU_REGION_CONFIG) {
		size = EMU_CFG_SIZE;
		flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	}
	v = 32;
	memcpy(out, &v, 4);
	memcpy(out + 4, &flags, 4);
	memcpy(out + 8, &index, 4);
	memcpy(out + 16, &size, 8);
	return reply(s, m, 0, out, sizeof(out)) ? -EPIPE : 0;
}

static int do_irq_info(struct vfu_server *s, struct msg *m)
{
	uint32_t out[4], index, flags;

	if (m->len < 16 || get32(m->body) < 16)
		return -EINVAL;
	index = get32(m->body + 8);
	if (index >= VFU_NUM_IRQS)
		return -EINVAL;
	flags = VFIO_IRQ_INFO_EVENTFD;
	if (index == VFU_IRQ_INTX)
		flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else if (index == VFU_IRQ_MSIX || index == VFU_IRQ_MSI)
		flags |= VFIO_IRQ_INFO_NORESIZE;
	out[0] = 16;
	out[1] = flags;
	out[2] = index;
	out[3] = irq_count[index];
	return reply(s, m, 0, out, sizeof(out)) ? -EPIPE : 0;
}

static int do_set_irqs(struct vfu_server *s, struct msg *m)
{
	uint32_t argsz, flags, index, start, count, data, action, i;

	if (m->len < 20 || (argsz = get32(m->body)) < 20)
		return -EINVAL;
	flags = get32(m->body + 4);
	index = get32(m->body + 8);
	start = get32(m->body + 12);
	count = get32(m->body + 16);
	data = flags & 0x7;
	action = flags & 0x38;
	if (index >= VFU_NUM_IRQS || (data & (data - 1)) || !data ||
	    (action & (action - 1)) || !action || (flags & ~0x3fu))
		return -EINVAL;
	/* count 0 + DATA_NONE + TRIGGER: disable the whole index */
	if (data == VFIO_IRQ_SET_DATA_NONE && count == 0) {
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			irq_close(s, index, 0, VFU_MAX_IRQ_VEC);
		return reply(s, m, 0, NULL, 0) ? -EPIPE : 0;
	}
	if (start >= irq_count[index] || count > irq_count[index] - start)
		return -EINVAL;
	if (data == VFIO_IRQ_SET_DATA_EVENTFD) {
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER) {
			/* mask/unmask notification fds: not used by this device */
			return reply(s, m, 0, NULL, 0) ? -EPIPE : 0;
		}
		if (m->nfds != 0 && (uint32_t)m->nfds != count)
			return -EINVAL;
		irq_close(s, index, start, count);
		for (i = 0; i < (uint32_t)m->nfds; i++) {
			s->irq_fd[index][start + i] = m->fds[i];
			m->fds[i] = -1;	/* now owned by the table */
		}
		return reply(s, m, 0, NULL, 0) ? -EPIPE : 0;
	}
	if (data == VFIO_IRQ_SET_DATA_BOOL && m->len < 20 + count)
		return -EINVAL;
	if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
		for (i = 0; i < count; i++)
			if (data == VFIO_IRQ_SET_DATA_NONE || m->body[20 + i])
				if (index == VFU_IRQ_MSIX)
					vfu_irq(s, start + i);
	}
	/* MASK/UNMASK without fds: nothing to model */
	return reply(s, m, 0, NULL, 0) ? -EPIPE : 0;
}

static int do_region_rw(struct vfu_server *s, struct msg *m, int write)
{
	uint64_t off;
	uint32_t region, count;
	uint8_t *out;
	int r;

	if (m->len < 16)
		return -EINVAL;
	off = get64(m->body);
	region = get32(m->body + 8);
	count = get32(m->body + 12);
	if (count > VFU_MAX_XFER || (write && m->len - 16 < count))
		return -EINVAL;
	if (write) {
		if (region == VFU_REGION_CONFIG)
			r = emu_cfg_write(s->emu, off, m->body + 16, count);
		else if (region == VFU_REGION_BAR0)
			r = emu_bar0_write(s->emu, off, m->body + 16, count);
		else
			r = -EINVAL;
		if (r)
			return r;
		return reply(s, m, 0, m->body, 16) ? -EPIPE : 0;
	}
	out = malloc(16 + (size_t)count);
	if (!out)
		return -ENOMEM;
	memcpy(out, m->body, 16);
	if (region == VFU_REGION_CONFIG)
		r = emu_cfg_read(s->emu, off, out + 16, count);
	else if (region == VFU_REGION_BAR0)
		r = emu_bar0_read(s->emu, off, out + 16, count);
	else
		r = -EINVAL;
	if (!r)
		r = reply(s, m, 0, out, 16 + count) ? -EPIPE : 0;
	free(out);
	return r;
}

static int dispatch(struct vfu_server *s, struct msg *m)
{
	if ((m->hdr.flags & VFU_F_TYPE_MASK) != VFU_F_TYPE_COMMAND)
		return -EINVAL;
	if (!s->version_done && m->hdr.cmd != VFU_VERSION)
		return -EINVAL;
	switch (m->hdr.cmd) {
	case VFU_VERSION:
		return do_version(s, m);
	case VFU_DMA_MAP:
		return do_dma_map(s, m);
	case VFU_DMA_UNMAP:
		return do_dma_unmap(s, m);
	case VFU_DEVICE_GET_INFO:
		return do_get_info(s, m);
	case VFU_DEVICE_GET_REGION_INFO:
		return do_region_info(s, m);
	case VFU_DEVICE_GET_IRQ_INFO:
		return do_irq_info(s, m);
	case VFU_DEVICE_SET_IRQS:
		return do_set_irqs(s, m);
	case VFU_REGION_READ:
		return do_region_rw(s, m, 0);
	case VFU_REGION_WRITE:
		return do_region_rw(s, m, 1);
	case VFU_DEVICE_RESET:
		emu_reset(s->emu);
		return reply(s, m, 0, NULL, 0) ? -EPIPE : 0;
	default:
		return -ENOTSUP;
	}
}

int vfu_handle_one(struct vfu_server *s)
{
	struct msg m;
	int r = recv_msg(s, &m);

	if (r == -2) {
		emu_log(s->emu, "error: vfio-user: message %u cmd %u: bad size %u, closing",
			m.hdr.msg_id, m.hdr.cmd, m.hdr.size);
		m.hdr.flags &= ~VFU_F_NO_REPLY;
		reply(s, &m, EINVAL, NULL, 0);
		close_fds(&m);
		return -1;
	}
	if (r <= 0) {
		close_fds(&m);
		free(m.body);
		return r;
	}
	s->nmsgs++;
	r = dispatch(s, &m);
	if (r == -EPIPE) {
		r = -1;
	} else if (r < 0) {
		emu_log(s->emu, "error: vfio-user: cmd %u (id %u, %u bytes) failed: %s",
			m.hdr.cmd, m.hdr.msg_id, m.hdr.size, strerror(-r));
		r = reply(s, &m, -r, NULL, 0) ? -1 : 1;
	} else {
		r = 1;
	}
	close_fds(&m);
	free(m.body);
	return r;
}
