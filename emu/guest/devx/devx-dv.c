// SPDX-License-Identifier: GPL-2.0
/*
 * devx-dv: DEVX through rdma-core's mlx5 provider, the way DPDK's mlx5 PMD
 * uses it: mlx5dv_open_device(MLX5DV_CONTEXT_FLAGS_DEVX), capability query
 * with mlx5dv_devx_general_cmd(), then a general object's life cycle with
 * mlx5dv_devx_obj_create/_query/_modify/_query_async/_destroy and a umem.
 * Linked statically (RDMA_STATIC_PROVIDERS=mlx5).
 *
 *   devx-dv [-d IBDEV] [-n] [-t OBJ_TYPE]
 *     -d IBDEV   device name (default: the first mlx5 device)
 *     -n         do not destroy the object and umem: leave them to close
 *     -t TYPE    the general object type (default 0x18, MATCH_DEFINER)
 *
 * One line per step: "devx-dv: STEP errno=N (text) status=0xSS ...".
 * The last line is "devx-dv: PASS" or "devx-dv: FAIL"; the exit status is
 * the errno of the first failing step (0 on success, 255 for usage errors).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <infiniband/verbs.h>
#include <infiniband/mlx5dv.h>

/* PRM (include/linux/mlx5/mlx5_ifc.h) */
#define OP_QUERY_HCA_CAP		0x0100
#define OP_QUERY_ADAPTER		0x0101
#define OP_CREATE_GENERAL_OBJECT	0x0a00
#define OP_MODIFY_GENERAL_OBJECT	0x0a01
#define OP_QUERY_GENERAL_OBJECT		0x0a02
#define OBJ_TYPE_MATCH_DEFINER		0x0018
#define CTX_LEN				128	/* MLX5_ST_SZ_BYTES(match_definer) */

/*
 * Mailbox headers (general_obj_in_cmd_hdr / general_obj_out_cmd_hdr),
 * big-endian: in: opcode[0:2] uid[2:4] (set by the kernel)
 * vhca_tunnel_id[4:6] obj_type or op_mod[6:8] obj_id[8:12];
 * out: status[0] syndrome[4:8] obj_id[8:12].
 */
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void mbox_hdr(uint8_t *in, uint16_t op, uint16_t op_mod,
			    uint32_t obj_id)
{
	memset(in, 0, 16);
	put16(in, op);
	put16(in + 6, op_mod);
	put32(in + 8, obj_id);
}

/*
 * One line per step for the test's log: "PROG: STEP errno=E (text)
 * status=S syndrome=Y [extra]", the status and syndrome read from the
 * output mailbox @out, or "status=na" without one.
 */
static void mbox_vreport(const char *prog, const char *step, int err,
				const uint8_t *out, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

static void mbox_vreport(const char *prog, const char *step, int err,
				const uint8_t *out, const char *fmt, va_list ap)
{
	char extra[256] = "";

	if (fmt)
		vsnprintf(extra, sizeof(extra), fmt, ap);
	printf("%s: %s errno=%d (%s)", prog, step, err, err ? strerror(err) : "ok");
	if (out)
		printf(" status=0x%02x syndrome=0x%08x", out[0], get32(out + 4));
	else
		printf(" status=na");
	printf("%s%s\n", *extra ? " " : "", extra);
	fflush(stdout);
}

#define HCA_CAP_OUT_LEN			4112	/* MLX5_ST_SZ_BYTES(query_hca_cap_out) */
#define QUERY_ADAPTER_OUT_LEN		272	/* MLX5_ST_SZ_BYTES(query_adapter_out) */
/* in cmd_hca_cap: general_obj_types[0x40] at byte 128, log_max_uctx[5] low bits of byte 140 */
#define CAP_GENERAL_OBJ_TYPES		128
#define CAP_LOG_MAX_UCTX		140

static int first_err;

static int step(const char *name, int rc, const uint8_t *out, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* rc: 0, a positive errno, or -1 with errno set */
static int step(const char *name, int rc, const uint8_t *out, const char *fmt, ...)
{
	int err = rc < 0 ? errno : rc;
	va_list ap;

	va_start(ap, fmt);
	mbox_vreport("devx-dv", name, err, out, fmt, ap);
	va_end(ap);
	if (err && !first_err)
		first_err = err;
	return err;
}

static int finish(void)
{
	printf("devx-dv: %s\n", first_err ? "FAIL" : "PASS");
	return first_err > 254 ? 254 : first_err;
}

int main(int argc, char **argv)
{
	struct mlx5dv_context_attr dv_attr = { .flags = MLX5DV_CONTEXT_FLAGS_DEVX };
	static uint8_t cap_out[HCA_CAP_OUT_LEN];
	uint8_t in[16 + CTX_LEN], out[16 + CTX_LEN], ctx1[CTX_LEN], ctx2[CTX_LEN];
	uint8_t adapter_out[QUERY_ADAPTER_OUT_LEN];
	struct mlx5dv_devx_obj *obj = NULL;
	struct mlx5dv_devx_umem *umem = NULL;
	struct mlx5dv_devx_cmd_comp *comp;
	struct ibv_device **list, *dev = NULL;
	struct ibv_device_attr dattr;
	struct ibv_context *ctx;
	const char *want = NULL;
	uint16_t obj_type = OBJ_TYPE_MATCH_DEFINER;
	uint64_t types;
	uint32_t obj_id;
	void *buf;
	int i, n, c, leak = 0, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "d:nt:h")) != -1) {
		switch (c) {
		case 'd': want = optarg; break;
		case 'n': leak = 1; break;
		case 't': obj_type = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: devx-dv [-d IBDEV] [-n] [-t OBJ_TYPE]\n");
			return 255;
		}
	}
	if (obj_type >= 64) {
		fprintf(stderr, "devx-dv: -t 0x%x: general_obj_types has bits 0-63 only\n", obj_type);
		return 255;
	}

	list = ibv_get_device_list(&n);
	if (!list) {
		step("get_device_list", -1, NULL, NULL);
		return finish();
	}
	for (i = 0; i < n && !dev; i++)
		if (want ? !strcmp(ibv_get_device_name(list[i]), want) : mlx5dv_is_supported(list[i]))
			dev = list[i];
	if (step("get_device_list", dev ? 0 : ENODEV, NULL, "%d devices, using %s", n,
		 dev ? ibv_get_device_name(dev) : "none"))
		return finish();

	ctx = mlx5dv_open_device(dev, &dv_attr);
	if (step("mlx5dv_open_device", ctx ? 0 : -1, NULL, "flags=MLX5DV_CONTEXT_FLAGS_DEVX"))
		return finish();
	ibv_free_device_list(list);

	rc = ibv_query_device(ctx, &dattr);
	step("ibv_query_device", rc, NULL, "fw_ver=%s vendor_id=0x%x vendor_part_id=%u ports=%u",
	     rc ? "?" : dattr.fw_ver, dattr.vendor_id, dattr.vendor_part_id, dattr.phys_port_cnt);

	/* capabilities, as a PMD does before using an object type */
	mbox_hdr(in, OP_QUERY_HCA_CAP, 0x1 /* general caps, current */, 0);
	rc = mlx5dv_devx_general_cmd(ctx, in, 16, cap_out, sizeof(cap_out));
	types = (uint64_t)get32(cap_out + 16 + CAP_GENERAL_OBJ_TYPES) << 32 |
		get32(cap_out + 16 + CAP_GENERAL_OBJ_TYPES + 4);
	step("devx_general_cmd QUERY_HCA_CAP", rc, cap_out, "log_max_uctx=%u general_obj_types=0x%llx",
	     cap_out[16 + CAP_LOG_MAX_UCTX] & 0x1f, (unsigned long long)types);
	if (!rc && !(types & (1ull << obj_type)))
		step("cap obj_type", EOPNOTSUPP, NULL, "0x%04x not advertised", obj_type);

	mbox_hdr(in, OP_QUERY_ADAPTER, 0, 0);
	memset(adapter_out, 0, sizeof(adapter_out));
	rc = mlx5dv_devx_general_cmd(ctx, in, 16, adapter_out, sizeof(adapter_out));
	step("devx_general_cmd QUERY_ADAPTER", rc, adapter_out, NULL);

	/* object life cycle */
	for (i = 0; i < CTX_LEN; i++) {
		ctx1[i] = (uint8_t)(0x40 + i);
		ctx2[i] = (uint8_t)(0xc0 ^ i);
	}
	mbox_hdr(in, OP_CREATE_GENERAL_OBJECT, obj_type, 0);
	memcpy(in + 16, ctx1, CTX_LEN);
	memset(out, 0, sizeof(out));
	obj = mlx5dv_devx_obj_create(ctx, in, sizeof(in), out, 16);
	obj_id = get32(out + 8);
	if (step("devx_obj_create MATCH_DEFINER", obj ? 0 : -1, out, "obj_id=0x%x", obj_id))
		goto close;

	mbox_hdr(in, OP_QUERY_GENERAL_OBJECT, obj_type, obj_id);
	memset(out, 0, sizeof(out));
	rc = mlx5dv_devx_obj_query(obj, in, 16, out, sizeof(out));
	if (!rc && memcmp(out + 16, ctx1, CTX_LEN))
		rc = EBADMSG;
	step("devx_obj_query", rc, out, "ctx=%s", memcmp(out + 16, ctx1, CTX_LEN) ? "differs" : "match");

	mbox_hdr(in, OP_MODIFY_GENERAL_OBJECT, obj_type, obj_id);
	memcpy(in + 16, ctx2, CTX_LEN);
	memset(out, 0, sizeof(out));
	rc = mlx5dv_devx_obj_modify(obj, in, sizeof(in), out, 16);
	step("devx_obj_modify", rc, out, NULL);

	comp = mlx5dv_devx_create_cmd_comp(ctx);
	if (!step("devx_create_cmd_comp", comp ? 0 : -1, NULL, NULL)) {
		struct {
			struct mlx5dv_devx_async_cmd_hdr hdr;
			uint8_t data[16 + CTX_LEN];
		} resp;

		mbox_hdr(in, OP_QUERY_GENERAL_OBJECT, obj_type, obj_id);
		rc = mlx5dv_devx_obj_query_async(obj, in, 16, 16 + CTX_LEN, 0x5eed, comp);
		if (!step("devx_obj_query_async", rc, NULL, "wr_id=0x5eed")) {
			memset(&resp, 0, sizeof(resp));
			rc = mlx5dv_devx_get_async_cmd_comp(comp, &resp.hdr, sizeof(resp));
			if (!rc && resp.hdr.out_data[0])
				rc = EREMOTEIO;
			else if (!rc && (resp.hdr.wr_id != 0x5eed ||
					 memcmp(resp.hdr.out_data + 16, ctx2, CTX_LEN)))
				rc = EBADMSG;
			step("devx_get_async_cmd_comp", rc, resp.hdr.out_data,
			     "wr_id=0x%llx ctx=%s", (unsigned long long)resp.hdr.wr_id,
			     memcmp(resp.hdr.out_data + 16, ctx2, CTX_LEN) ? "differs" : "match(modified)");
		}
		mlx5dv_devx_destroy_cmd_comp(comp);
	}

	buf = aligned_alloc(4096, 16384);
	if (buf) {
		memset(buf, 0, 16384);
		umem = mlx5dv_devx_umem_reg(ctx, buf, 16384, IBV_ACCESS_LOCAL_WRITE);
		step("devx_umem_reg", umem ? 0 : -1, NULL, "len=16384 umem_id=0x%x",
		     umem ? umem->umem_id : 0);
	}
	if (leak) {
		printf("devx-dv: leaving the object and umem to ibv_close_device\n");
		goto close;
	}
	if (umem)
		step("devx_umem_dereg", mlx5dv_devx_umem_dereg(umem), NULL, NULL);
	step("devx_obj_destroy", mlx5dv_devx_obj_destroy(obj), NULL, "obj_id=0x%x", obj_id);
close:
	step("ibv_close_device", ibv_close_device(ctx), NULL, NULL);
	return finish();
}
