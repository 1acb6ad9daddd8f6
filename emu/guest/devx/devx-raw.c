// SPDX-License-Identifier: GPL-2.0
/*
 * devx-raw: drive mlx5 DEVX on /dev/infiniband/uverbsN with raw
 * RDMA_VERBS_IOCTL calls (no rdma-core).  Static binary for test harnesses.
 *
 *   devx-raw [-d DEV] [-t OBJ_TYPE] STEP [ARGS] [STEP [ARGS]] ...
 *
 * Steps run in order in one process, so objects persist between them.  Each
 * step prints one line
 *
 *   devx-raw: STEP errno=N (text) status=0xSS syndrome=0xSSSSSSSS [details]
 *
 * (status=na where the step has no firmware outbox).  The first failing step
 * ends the program; the exit status is its errno (0 if every step worked,
 * 255 for usage errors).  Typical values: 121 EREMOTEIO (firmware status
 * != 0, outbox shown), 22 EINVAL (refused by the kernel's DEVX checks),
 * 13 EACCES / 1 EPERM (refused by an LSM), 74 EBADMSG (query returned a
 * context other than the one last written), 110 ETIMEDOUT (no async
 * completion), 2 ENOENT (no device, or no object for the step).  Objects
 * still alive at exit are destroyed by the kernel when the file is closed
 * (destroy on close).
 *
 * Steps:
 *   open          open DEV and allocate a DEVX user context (implicit)
 *   open-nodevx   open DEV with a plain (uid 0) context: DEVX is refused
 *   other OP [OP_MOD [OUTLEN]]   DEVX_OTHER (a general command, e.g. 0x100)
 *   create [TYPE] DEVX_OBJ_CREATE of CREATE_GENERAL_OBJECT (default -t)
 *   create-op OP [INLEN]         DEVX_OBJ_CREATE with any opcode (0x800 ...)
 *   modify        DEVX_OBJ_MODIFY (MODIFY_GENERAL_OBJECT) of the last object
 *   query         DEVX_OBJ_QUERY of the last object; checks the context
 *   query-bad     DEVX_OBJ_QUERY naming an obj_id the handle does not own
 *   async-query   DEVX_OBJ_ASYNC_QUERY of the last object, waits for the
 *                 completion on the async command fd (10 s)
 *   destroy       DEVX_OBJ_DESTROY of the last object
 *   umem-reg [LEN]  DEVX_UMEM_REG of a fresh LEN-byte buffer (default 8192)
 *   umem-dereg    DEVX_UMEM_DEREG of the last umem
 *   close         close DEV (the kernel destroys what is left)
 *   sleep SEC     sleep
 *   pause         print "devx-raw: paused" and wait for a line on stdin
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <rdma/rdma_user_ioctl_cmds.h>
#include <rdma/ib_user_ioctl_cmds.h>
#include <rdma/ib_user_ioctl_verbs.h>
#include <rdma/mlx5_user_ioctl_cmds.h>
#include <rdma/mlx5_user_ioctl_verbs.h>
#include <rdma/mlx5-abi.h>

/* PRM opcodes and object type (include/linux/mlx5/mlx5_ifc.h) */
#define OP_CREATE_GENERAL_OBJECT	0x0a00
#define OP_MODIFY_GENERAL_OBJECT	0x0a01
#define OP_QUERY_GENERAL_OBJECT		0x0a02
#define OBJ_TYPE_MATCH_DEFINER		0x0018
#define CTX_LEN				128	/* MLX5_ST_SZ_BYTES(match_definer) */

/*
 * Mailbox headers (general_obj_in_cmd_hdr / general_obj_out_cmd_hdr),
 * big-endian: in: opcode[0:2] uid[2:4] vhca_tunnel_id[4:6] obj_type or
 * op_mod[6:8] obj_id[8:12]; out: status[0] syndrome[4:8] obj_id[8:12].
 */
static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void mbox_hdr(uint8_t *in, uint16_t op, uint16_t op_mod, uint32_t obj_id)
{
	memset(in, 0, 16);
	put16(in, op);
	put16(in + 6, op_mod);
	put32(in + 8, obj_id);
}

struct obj {
	uint32_t handle;	/* uverbs handle */
	uint32_t id;		/* firmware object id */
	uint16_t opcode, type;
};

static const char *dev_path = "/dev/infiniband/uverbs0";
static uint16_t obj_type = OBJ_TYPE_MATCH_DEFINER;
static int fd = -1, async_fd = -1;
static struct obj objs[64];
static unsigned int nobjs;
static struct { uint32_t handle, id; void *buf; } umems[16];
static unsigned int numems;
static uint8_t last_ctx[CTX_LEN];	/* what the last create/modify sent */

/* ------------------------------------------------------------------ */
/* ioctl plumbing                                                       */

#define MAX_ATTRS 8
struct req {
	struct ib_uverbs_ioctl_hdr hdr;
	struct ib_uverbs_attr attrs[MAX_ATTRS];
};

static void req_init(struct req *r, uint16_t object, uint16_t method)
{
	memset(r, 0, sizeof(*r));
	r->hdr.object_id = object;
	r->hdr.method_id = method;
	r->hdr.driver_id = RDMA_DRIVER_MLX5;
}

static struct ib_uverbs_attr *attr(struct req *r, uint16_t id)
{
	struct ib_uverbs_attr *a = &r->attrs[r->hdr.num_attrs++];

	a->attr_id = id;
	a->flags = UVERBS_ATTR_F_MANDATORY;
	return a;
}

/* PTR_IN: up to 8 bytes travel inline in .data, more by pointer */
static void ptr_in(struct req *r, uint16_t id, const void *p, uint16_t len)
{
	struct ib_uverbs_attr *a = attr(r, id);

	a->len = len;
	if (len <= sizeof(a->data))
		memcpy(&a->data, p, len);
	else
		a->data = (uintptr_t)p;
}

static void ptr_out(struct req *r, uint16_t id, void *p, uint16_t len)
{
	struct ib_uverbs_attr *a = attr(r, id);

	a->len = len;
	a->data = (uintptr_t)p;
}

static void u64_in(struct req *r, uint16_t id, uint64_t v)
{
	ptr_in(r, id, &v, sizeof(v));
}

/* IDR/FD attributes: the handle or fd in .data (NEW ones are written back) */
static struct ib_uverbs_attr *handle(struct req *r, uint16_t id, int64_t v)
{
	struct ib_uverbs_attr *a = attr(r, id);

	a->data_s64 = v;
	return a;
}

static int run_ioctl(struct req *r)
{
	r->hdr.length = sizeof(r->hdr) + r->hdr.num_attrs * sizeof(r->attrs[0]);
	return ioctl(fd, RDMA_VERBS_IOCTL, &r->hdr) ? errno : 0;
}

/* ------------------------------------------------------------------ */
/* reporting                                                            */

static void report(const char *step, int err, const uint8_t *out, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(const char *step, int err, const uint8_t *out, const char *fmt, ...)
{
	char extra[256] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(extra, sizeof(extra), fmt, ap);
		va_end(ap);
	}
	if (out)
		printf("devx-raw: %s errno=%d (%s) status=0x%02x syndrome=0x%08x%s%s\n", step, err,
		       err ? strerror(err) : "ok", out[0], get32(out + 4), *extra ? " " : "", extra);
	else
		printf("devx-raw: %s errno=%d (%s) status=na%s%s\n", step, err,
		       err ? strerror(err) : "ok", *extra ? " " : "", extra);
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* steps                                                                */

static int do_open(int devx)
{
	const char *step = devx ? "open" : "open-nodevx";
	struct mlx5_ib_alloc_ucontext_req_v2 ureq = {
		.total_num_bfregs = 1,
		.flags = devx ? MLX5_IB_ALLOC_UCTX_DEVX : 0,
		.max_cqe_version = 1,
		.lib_caps = MLX5_LIB_CAP_4K_UAR,
	};
	struct mlx5_ib_alloc_ucontext_resp uresp = { 0 };
	uint32_t ncomp = 0;
	struct req r;
	int err;

	fd = open(dev_path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		report(step, err, NULL, "%s", dev_path);
		return err;
	}
	req_init(&r, UVERBS_OBJECT_DEVICE, UVERBS_METHOD_GET_CONTEXT);
	ptr_out(&r, UVERBS_ATTR_GET_CONTEXT_NUM_COMP_VECTORS, &ncomp, sizeof(ncomp));
	r.attrs[r.hdr.num_attrs - 1].flags = 0;
	ptr_in(&r, UVERBS_ATTR_UHW_IN, &ureq, sizeof(ureq));
	ptr_out(&r, UVERBS_ATTR_UHW_OUT, &uresp, sizeof(uresp));
	err = run_ioctl(&r);
	report(step, err, NULL, "%s comp_vectors=%u num_ports=%u cqe_version=%u", dev_path, ncomp,
	       uresp.num_ports, uresp.cqe_version);
	if (err) {
		close(fd);
		fd = -1;
	}
	return err;
}

static int need_open(void)
{
	return fd >= 0 ? 0 : do_open(1);
}

static int do_other(uint16_t op, uint16_t op_mod, uint32_t outlen)
{
	uint8_t in[16];
	uint8_t *out = calloc(1, outlen);
	char step[32];
	struct req r;
	int err;

	if (!out)
		return ENOMEM;
	snprintf(step, sizeof(step), "other 0x%04x", op);
	mbox_hdr(in, op, op_mod, 0);
	req_init(&r, MLX5_IB_OBJECT_DEVX, MLX5_IB_METHOD_DEVX_OTHER);
	ptr_in(&r, MLX5_IB_ATTR_DEVX_OTHER_CMD_IN, in, sizeof(in));
	ptr_out(&r, MLX5_IB_ATTR_DEVX_OTHER_CMD_OUT, out, outlen);
	err = run_ioctl(&r);
	report(step, err, out, "op_mod=0x%x outlen=%u", op_mod, outlen);
	free(out);
	return err;
}

static int obj_create(uint16_t op, uint16_t type, uint32_t inlen, const char *step)
{
	uint8_t *in = calloc(1, inlen);
	uint8_t out[256] = { 0 };
	struct ib_uverbs_attr *h;
	struct req r;
	uint32_t i, id;
	int err;

	if (!in)
		return ENOMEM;
	if (nobjs >= sizeof(objs) / sizeof(objs[0])) {
		free(in);
		report(step, ENOSPC, NULL, "too many objects");
		return ENOSPC;
	}
	mbox_hdr(in, op, type, 0);
	if (op == OP_CREATE_GENERAL_OBJECT) {
		for (i = 0; i < CTX_LEN && 16 + i < inlen; i++)
			last_ctx[i] = (uint8_t)(0x11 + i);
		memcpy(in + 16, last_ctx, inlen - 16 < CTX_LEN ? inlen - 16 : CTX_LEN);
	}
	req_init(&r, MLX5_IB_OBJECT_DEVX_OBJ, MLX5_IB_METHOD_DEVX_OBJ_CREATE);
	h = handle(&r, MLX5_IB_ATTR_DEVX_OBJ_CREATE_HANDLE, 0);
	ptr_in(&r, MLX5_IB_ATTR_DEVX_OBJ_CREATE_CMD_IN, in, inlen);
	ptr_out(&r, MLX5_IB_ATTR_DEVX_OBJ_CREATE_CMD_OUT, out, 16);
	err = run_ioctl(&r);
	free(in);
	id = get32(out + 8);
	if (op != OP_CREATE_GENERAL_OBJECT)	/* pd, mkey_index ...: 24 bits at 8 */
		id &= 0xffffff;
	if (!err) {
		objs[nobjs].handle = (uint32_t)h->data;
		objs[nobjs].id = id;
		objs[nobjs].opcode = op;
		objs[nobjs].type = type;
		nobjs++;
	}
	report(step, err, out, "opcode=0x%04x obj_type=0x%04x obj_id=0x%x handle=%u", op, type, id,
	       err ? 0 : (uint32_t)h->data);
	return err;
}

static struct obj *last_obj(const char *step)
{
	if (!nobjs) {
		report(step, ENOENT, NULL, "no object: run create first");
		return NULL;
	}
	return &objs[nobjs - 1];
}

static int do_modify(void)
{
	struct obj *o = last_obj("modify");
	uint8_t in[16 + CTX_LEN], out[16] = { 0 };
	struct req r;
	int err, i;

	if (!o)
		return ENOENT;
	mbox_hdr(in, OP_MODIFY_GENERAL_OBJECT, o->type, o->id);
	for (i = 0; i < CTX_LEN; i++)
		in[16 + i] = (uint8_t)(0xa0 ^ i);
	req_init(&r, MLX5_IB_OBJECT_DEVX_OBJ, MLX5_IB_METHOD_DEVX_OBJ_MODIFY);
	handle(&r, MLX5_IB_ATTR_DEVX_OBJ_MODIFY_HANDLE, o->handle);
	ptr_in(&r, MLX5_IB_ATTR_DEVX_OBJ_MODIFY_CMD_IN, in, sizeof(in));
	ptr_out(&r, MLX5_IB_ATTR_DEVX_OBJ_MODIFY_CMD_OUT, out, sizeof(out));
	err = run_ioctl(&r);
	if (!err)
		memcpy(last_ctx, in + 16, CTX_LEN);
	report("modify", err, out, "obj_id=0x%x", o->id);
	return err;
}

static int do_query(int bad)
{
	const char *step = bad ? "query-bad" : "query";
	struct obj *o = last_obj(step);
	uint8_t in[16], out[16 + CTX_LEN] = { 0 };
	struct req r;
	int err, match;

	if (!o)
		return ENOENT;
	mbox_hdr(in, OP_QUERY_GENERAL_OBJECT, o->type, o->id + (bad ? 0x100 : 0));
	req_init(&r, MLX5_IB_OBJECT_DEVX_OBJ, MLX5_IB_METHOD_DEVX_OBJ_QUERY);
	handle(&r, MLX5_IB_ATTR_DEVX_OBJ_QUERY_HANDLE, o->handle);
	ptr_in(&r, MLX5_IB_ATTR_DEVX_OBJ_QUERY_CMD_IN, in, sizeof(in));
	ptr_out(&r, MLX5_IB_ATTR_DEVX_OBJ_QUERY_CMD_OUT, out, sizeof(out));
	err = run_ioctl(&r);
	match = !memcmp(out + 16, last_ctx, CTX_LEN);
	if (!err && !bad && !match)
		err = EBADMSG;	/* the device did not return what was written */
	report(step, err, out, "obj_id=0x%x ctx=%s", get32(in + 8),
	       err && err != EBADMSG ? "none" : match ? "match" : "differs");
	return err;
}

static int do_async_query(void)
{
	struct obj *o = last_obj("async-query");
	uint8_t in[16], buf[sizeof(struct mlx5_ib_uapi_devx_async_cmd_hdr) + 16 + CTX_LEN];
	struct mlx5_ib_uapi_devx_async_cmd_hdr *ev = (void *)buf;
	const uint64_t wr_id = 0xd00dfeed;
	struct pollfd p;
	struct req r;
	ssize_t n;
	int err;

	if (!o)
		return ENOENT;
	if (async_fd < 0) {
		struct ib_uverbs_attr *h;

		req_init(&r, MLX5_IB_OBJECT_DEVX_ASYNC_CMD_FD, MLX5_IB_METHOD_DEVX_ASYNC_CMD_FD_ALLOC);
		h = handle(&r, MLX5_IB_ATTR_DEVX_ASYNC_CMD_FD_ALLOC_HANDLE, 0);
		err = run_ioctl(&r);
		if (err) {
			report("async-query", err, NULL, "ASYNC_CMD_FD_ALLOC failed");
			return err;
		}
		async_fd = (int)h->data_s64;
	}
	mbox_hdr(in, OP_QUERY_GENERAL_OBJECT, o->type, o->id);
	req_init(&r, MLX5_IB_OBJECT_DEVX_OBJ, MLX5_IB_METHOD_DEVX_OBJ_ASYNC_QUERY);
	handle(&r, MLX5_IB_ATTR_DEVX_OBJ_QUERY_ASYNC_HANDLE, o->handle);
	ptr_in(&r, MLX5_IB_ATTR_DEVX_OBJ_QUERY_ASYNC_CMD_IN, in, sizeof(in));
	handle(&r, MLX5_IB_ATTR_DEVX_OBJ_QUERY_ASYNC_FD, async_fd);
	u64_in(&r, MLX5_IB_ATTR_DEVX_OBJ_QUERY_ASYNC_WR_ID, wr_id);
	u64_in(&r, MLX5_IB_ATTR_DEVX_OBJ_QUERY_ASYNC_OUT_LEN, 16 + CTX_LEN);
	err = run_ioctl(&r);
	if (err) {
		report("async-query", err, NULL, "obj_id=0x%x submit failed", o->id);
		return err;
	}
	p.fd = async_fd;
	p.events = POLLIN;
	if (poll(&p, 1, 10000) != 1) {
		report("async-query", ETIMEDOUT, NULL, "obj_id=0x%x no completion in 10 s", o->id);
		return ETIMEDOUT;
	}
	memset(buf, 0, sizeof(buf));
	n = read(async_fd, buf, sizeof(buf));
	if (n != (ssize_t)sizeof(buf)) {
		err = n < 0 ? errno : EIO;
		report("async-query", err, NULL, "read returned %zd", n);
		return err;
	}
	if (ev->out_data[0])
		err = EREMOTEIO;	/* what the synchronous methods return */
	else if (ev->wr_id != wr_id || memcmp(ev->out_data + 16, last_ctx, CTX_LEN))
		err = EBADMSG;
	report("async-query", err, ev->out_data, "obj_id=0x%x wr_id=0x%llx ctx=%s", o->id,
	       (unsigned long long)ev->wr_id,
	       !memcmp(ev->out_data + 16, last_ctx, CTX_LEN) ? "match" : "differs");
	return err;
}

static int do_destroy(void)
{
	struct obj *o = last_obj("destroy");
	struct req r;
	int err;

	if (!o)
		return ENOENT;
	req_init(&r, MLX5_IB_OBJECT_DEVX_OBJ, MLX5_IB_METHOD_DEVX_OBJ_DESTROY);
	handle(&r, MLX5_IB_ATTR_DEVX_OBJ_DESTROY_HANDLE, o->handle);
	err = run_ioctl(&r);
	report("destroy", err, NULL, "obj_id=0x%x handle=%u", o->id, o->handle);
	if (!err)
		nobjs--;
	return err;
}

static int do_umem_reg(size_t len)
{
	struct ib_uverbs_attr *h;
	uint32_t id = 0;
	struct req r;
	void *buf;
	int err;

	if (numems >= sizeof(umems) / sizeof(umems[0]))
		return ENOSPC;
	buf = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
	if (!buf)
		return ENOMEM;
	memset(buf, 0x5a, len);
	req_init(&r, MLX5_IB_OBJECT_DEVX_UMEM, MLX5_IB_METHOD_DEVX_UMEM_REG);
	h = handle(&r, MLX5_IB_ATTR_DEVX_UMEM_REG_HANDLE, 0);
	u64_in(&r, MLX5_IB_ATTR_DEVX_UMEM_REG_ADDR, (uintptr_t)buf);
	u64_in(&r, MLX5_IB_ATTR_DEVX_UMEM_REG_LEN, len);
	u64_in(&r, MLX5_IB_ATTR_DEVX_UMEM_REG_ACCESS, IB_UVERBS_ACCESS_LOCAL_WRITE);
	ptr_out(&r, MLX5_IB_ATTR_DEVX_UMEM_REG_OUT_ID, &id, sizeof(id));
	err = run_ioctl(&r);
	report("umem-reg", err, NULL, "len=%zu umem_id=0x%x handle=%u", len, id,
	       err ? 0 : (uint32_t)h->data);
	if (err) {
		free(buf);
		return err;
	}
	umems[numems].handle = (uint32_t)h->data;
	umems[numems].id = id;
	umems[numems].buf = buf;
	numems++;
	return 0;
}

static int do_umem_dereg(void)
{
	struct req r;
	int err;

	if (!numems) {
		report("umem-dereg", ENOENT, NULL, "no umem: run umem-reg first");
		return ENOENT;
	}
	req_init(&r, MLX5_IB_OBJECT_DEVX_UMEM, MLX5_IB_METHOD_DEVX_UMEM_DEREG);
	handle(&r, MLX5_IB_ATTR_DEVX_UMEM_DEREG_HANDLE, umems[numems - 1].handle);
	err = run_ioctl(&r);
	report("umem-dereg", err, NULL, "umem_id=0x%x", umems[numems - 1].id);
	if (!err)
		free(umems[--numems].buf);
	return err;
}

static int do_close(void)
{
	int err = 0;

	if (async_fd >= 0)
		close(async_fd);
	if (fd >= 0 && close(fd))
		err = errno;
	report("close", err, NULL, "%u objects and %u umems left to the kernel", nobjs, numems);
	fd = async_fd = -1;
	nobjs = 0;
	while (numems)
		free(umems[--numems].buf);
	return err;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: devx-raw [-d DEV] [-t OBJ_TYPE] STEP [ARGS] ...\n"
		"steps: open | open-nodevx | other OP [OP_MOD [OUTLEN]] | create [TYPE] |\n"
		"       create-op OP [INLEN] | modify | query | query-bad | async-query |\n"
		"       destroy | umem-reg [LEN] | umem-dereg | close | sleep SEC | pause\n"
		"exit status: errno of the first failing step, 0 if all worked, 255 usage\n");
}

/* optional numeric argument at argv[*i + 1] */
static int num_arg(int argc, char **argv, int *i, unsigned long *v)
{
	unsigned long x;
	char *end;

	if (*i + 1 >= argc)
		return 0;
	x = strtoul(argv[*i + 1], &end, 0);
	if (*end || end == argv[*i + 1])
		return 0;
	*v = x;
	(*i)++;
	return 1;
}

int main(int argc, char **argv)
{
	int i, err = 0, c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "+d:t:h")) != -1) {
		switch (c) {
		case 'd': dev_path = optarg; break;
		case 't': obj_type = (uint16_t)strtoul(optarg, NULL, 0); break;
		default: usage(); return 255;
		}
	}
	if (optind >= argc) {
		usage();
		return 255;
	}
	for (i = optind; i < argc && !err; i++) {
		const char *s = argv[i];
		unsigned long a = 0, b = 0, n = 0;

		if (!strcmp(s, "open")) {
			err = fd >= 0 ? 0 : do_open(1);
		} else if (!strcmp(s, "open-nodevx")) {
			err = fd >= 0 ? EBUSY : do_open(0);
		} else if (!strcmp(s, "other")) {
			unsigned long outlen = 4112;

			if (!num_arg(argc, argv, &i, &a)) {
				usage();
				return 255;
			}
			num_arg(argc, argv, &i, &b);
			num_arg(argc, argv, &i, &outlen);
			if (outlen < 16 || outlen > 65535)
				outlen = 4112;
			err = need_open() ?: do_other(a, b, outlen);
		} else if (!strcmp(s, "create")) {
			a = obj_type;
			num_arg(argc, argv, &i, &a);
			err = need_open() ?: obj_create(OP_CREATE_GENERAL_OBJECT, a, 16 + CTX_LEN,
							 "create");
		} else if (!strcmp(s, "create-op")) {
			n = 256;
			if (!num_arg(argc, argv, &i, &a)) {
				usage();
				return 255;
			}
			num_arg(argc, argv, &i, &n);
			if (n < 16 || n > 65535)
				n = 256;
			err = need_open() ?: obj_create(a, 0, n, "create-op");
		} else if (!strcmp(s, "modify")) {
			err = need_open() ?: do_modify();
		} else if (!strcmp(s, "query")) {
			err = need_open() ?: do_query(0);
		} else if (!strcmp(s, "query-bad")) {
			err = need_open() ?: do_query(1);
		} else if (!strcmp(s, "async-query")) {
			err = need_open() ?: do_async_query();
		} else if (!strcmp(s, "destroy")) {
			err = need_open() ?: do_destroy();
		} else if (!strcmp(s, "umem-reg")) {
			n = 8192;
			num_arg(argc, argv, &i, &n);
			err = need_open() ?: do_umem_reg(n);
		} else if (!strcmp(s, "umem-dereg")) {
			err = need_open() ?: do_umem_dereg();
		} else if (!strcmp(s, "close")) {
			err = do_close();
		} else if (!strcmp(s, "sleep")) {
			if (!num_arg(argc, argv, &i, &a)) {
				usage();
				return 255;
			}
			sleep(a);
		} else if (!strcmp(s, "pause")) {
			char line[16];

			printf("devx-raw: paused\n");
			if (!fgets(line, sizeof(line), stdin))
				line[0] = 0;	/* EOF also continues */
		} else {
			fprintf(stderr, "devx-raw: unknown step '%s'\n", s);
			usage();
			return 255;
		}
	}
	return err > 254 ? 254 : err;
}
