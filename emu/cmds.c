// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware command handlers.  Every inbox/outbox field is accessed through
 * the kernel's mlx5_ifc.h layouts (MLX5_GET/MLX5_SET from ifc.h).
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ifc.h"
#include "mlx5.h"

/* Register ids (include/linux/mlx5/driver.h, enum mlx5_reg_ids) */
enum {
	REG_PTYS		= 0x5004,
	REG_PMTU		= 0x5003,
	REG_PAOS		= 0x5006,
	REG_NODE_DESC		= 0x6001,
	REG_HOST_ENDIANNESS	= 0x7004,
	REG_DTOR		= 0xc00e,
};

#define HCA_CAP_BYTES MLX5_ST_SZ_BYTES(cmd_hca_cap)

/* General device capabilities: everything 0 except what probe needs. */
static void fill_general_caps(void *cap)
{
	MLX5_SET(cmd_hca_cap, cap, port_type, 1);	/* Ethernet */
	MLX5_SET(cmd_hca_cap, cap, num_ports, 1);
	MLX5_SET(cmd_hca_cap, cap, log_max_eq, 4);
	MLX5_SET(cmd_hca_cap, cap, log_max_eq_sz, 22);
	MLX5_SET(cmd_hca_cap, cap, page_request_disable, 1);
	MLX5_SET(cmd_hca_cap, cap, uctx_cap, EMU_UCTX_CAP);
	MLX5_SET(cmd_hca_cap, cap, log_max_uctx, 4);
	MLX5_SET(cmd_hca_cap, cap, xrc, 1);
	MLX5_SET(cmd_hca_cap, cap, qp_latency_sensitive_disable, 1);
	MLX5_SET(cmd_hca_cap, cap, log_max_pd, 16);
	MLX5_SET(cmd_hca_cap, cap, log_max_xrcd, 16);
	MLX5_SET(cmd_hca_cap, cap, log_max_qp, 16);
	MLX5_SET(cmd_hca_cap, cap, log_max_qp_sz, 15);
	MLX5_SET(cmd_hca_cap, cap, log_max_cq, 16);
	MLX5_SET(cmd_hca_cap, cap, log_max_cq_sz, 22);
	MLX5_SET(cmd_hca_cap, cap, log_max_srq, 16);
	MLX5_SET(cmd_hca_cap, cap, log_max_mkey, 16);
	MLX5_SET(cmd_hca_cap, cap, log_max_msg, 30);
	MLX5_SET(cmd_hca_cap, cap, log_pg_sz, 12);
	MLX5_SET(cmd_hca_cap, cap, cqe_version, 1);
	/* PMA ClassPortInfo is then answered by mlx5_ib itself, not MAD_IFC */
	MLX5_SET(cmd_hca_cap, cap, vport_counters, 1);
	MLX5_SET(cmd_hca_cap, cap, pkey_table_size, 0);
	/* DEVX: the general object types CREATE_GENERAL_OBJECT accepts */
	MLX5_SET64(cmd_hca_cap, cap, general_obj_types, EMU_GENERAL_OBJ_TYPES);
	/* DEVX passes any command with a vhca_tunnel_id through (DEVX_OTHER) */
	MLX5_SET64(cmd_hca_cap, cap, vhca_tunnel_commands, EMU_VHCA_TUNNEL_COMMANDS);
}

struct ctx {
	struct mlx5_emu *e;
	const uint8_t *in;
	uint32_t inlen;
	uint8_t *out;
	uint32_t outlen;
	uint32_t syndrome;
	uint16_t tunnel;	/* vhca_tunnel_id: 0, or EMU_TUNNEL_VHCA_ID */
	char tunnel_sfx[16];	/* " tunnel=N" for object notes, "" for the PF */
	int created_cmd_eq;
	int uctx_changed;	/* report after the command's log line */
	int obj_changed;	/* likewise: "obj live=N" */
	char note[160];		/* likewise: object create/destroy/release details */
	int log_note;		/* log the note although nothing changed */
};

typedef uint8_t (*handler_fn)(struct ctx *c);

static uint8_t h_ok(struct ctx *c)
{
	(void)c;
	return EMU_STAT_OK;
}

static uint8_t h_enable_hca(struct ctx *c)
{
	c->e->hca_enabled = 1;
	return EMU_STAT_OK;
}

static uint8_t h_disable_hca(struct ctx *c)
{
	c->e->hca_enabled = 0;
	return EMU_STAT_OK;
}

static uint8_t h_query_issi(struct ctx *c)
{
	MLX5_SET(query_issi_out, c->out, current_issi, c->e->issi);
	/* supported_issi_dw0 is a 32-bit bitmap of ISSIs: 0 and 1 */
	MLX5_SET(query_issi_out, c->out, supported_issi_dw0, 0x3);
	return EMU_STAT_OK;
}

static uint8_t h_set_issi(struct ctx *c)
{
	uint32_t issi = MLX5_GET(set_issi_in, c->in, current_issi);

	if (issi > 1)
		return EMU_STAT_BAD_PARAM;
	c->e->issi = issi;
	return EMU_STAT_OK;
}

static uint8_t h_query_pages(struct ctx *c)
{
	MLX5_SET(query_pages_out, c->out, num_pages, 0);
	return EMU_STAT_OK;
}

static uint8_t h_manage_pages(struct ctx *c)
{
	MLX5_SET(manage_pages_out, c->out, output_num_entries, 0);
	return EMU_STAT_OK;
}

static uint8_t h_query_hca_cap(struct ctx *c)
{
	uint16_t op_mod = MLX5_GET(query_hca_cap_in, c->in, op_mod);
	void *cap = MLX5_ADDR_OF(query_hca_cap_out, c->out, capability);

	/* op_mod = cap_type << 1 | (1 = current, 0 = maximum) */
	if ((op_mod >> 1) == 0)
		fill_general_caps(cap);
	/* every other capability type reads as all-zero (nothing supported) */
	return EMU_STAT_OK;
}

static uint8_t h_set_hca_cap(struct ctx *c)
{
	(void)c;	/* accepted and ignored: reported capabilities stay fixed */
	return EMU_STAT_OK;
}

static uint8_t h_init_hca(struct ctx *c)
{
	if (!c->e->hca_enabled)
		return EMU_STAT_BAD_SYS_STATE;
	c->e->hca_init = 1;
	return EMU_STAT_OK;
}

static uint8_t h_teardown_hca(struct ctx *c)
{
	c->e->hca_init = 0;
	return EMU_STAT_OK;
}

static uint8_t h_query_adapter(struct ctx *c)
{
	void *qa = MLX5_ADDR_OF(query_adapter_out, c->out, query_adapter_struct);
	static const char psid[] = "MT_0000000008";

	MLX5_SET(query_adapter_param_block, qa, ieee_vendor_id, 0x02c9);
	memcpy(MLX5_ADDR_OF(query_adapter_param_block, qa, vsd_contd_psid), psid,
	       sizeof(psid) - 1);
	return EMU_STAT_OK;
}

static uint8_t h_access_reg(struct ctx *c)
{
	uint16_t reg = MLX5_GET(access_register_in, c->in, register_id);

	switch (reg) {
	case REG_HOST_ENDIANNESS:
	case REG_DTOR:		/* all-zero timeouts: the driver keeps its defaults */
	case REG_NODE_DESC:
	case REG_PTYS:
	case REG_PMTU:
	case REG_PAOS:
		/* which register, and which way: op_mod 0 writes, 1 reads */
		snprintf(c->note, sizeof(c->note), "access_reg reg=0x%04x %s", reg,
			 MLX5_GET(access_register_in, c->in, op_mod) ? "read" : "write");
		c->log_note = 1;
		return EMU_STAT_OK;
	default:
		emu_log(c->e, "note: ACCESS_REG of unmodelled register 0x%04x", reg);
		c->syndrome = reg;
		return EMU_STAT_BAD_PARAM;
	}
}

/* UAR pages EMU_UAR_FIRST.. of BAR0, lowest free first, reused after DEALLOC */
static uint8_t h_alloc_uar(struct ctx *c)
{
	unsigned int i;

	for (i = EMU_UAR_FIRST; i < EMU_NUM_UARS; i++)
		if (!c->e->uar_used[i]) {
			c->e->uar_used[i] = 1;
			MLX5_SET(alloc_uar_out, c->out, uar, i);
			return EMU_STAT_OK;
		}
	return EMU_STAT_LIM;
}

static uint8_t h_dealloc_uar(struct ctx *c)
{
	uint32_t uar = MLX5_GET(dealloc_uar_in, c->in, uar);

	if (uar < EMU_UAR_FIRST || uar >= EMU_NUM_UARS || !c->e->uar_used[uar]) {
		emu_log(c->e, "error: DEALLOC_UAR of UAR %u, which is not allocated", uar);
		return EMU_STAT_BAD_RES;
	}
	c->e->uar_used[uar] = 0;
	return EMU_STAT_OK;
}

static uint8_t h_create_eq(struct ctx *c)
{
	struct mlx5_emu *e = c->e;
	const void *eqc = MLX5_ADDR_OF(create_eq_in, c->in, eq_context_entry);
	uint32_t log_size = MLX5_GET(eqc, eqc, log_eq_size);
	uint32_t log_pg = MLX5_GET(eqc, eqc, log_page_size);
	uint32_t intr = MLX5_GET(eqc, eqc, intr);
	uint32_t npas = (c->inlen - MLX5_ST_SZ_BYTES(create_eq_in)) / 8;
	uint64_t need;
	struct emu_eq *eq = NULL;
	uint32_t i;

	if (log_size > 22 || log_pg > 20 || intr >= EMU_MSIX_VECTORS) {
		emu_log(e, "error: CREATE_EQ: bad context log_size=%u log_page_size=%u intr=%u",
			log_size, log_pg, intr);
		return EMU_STAT_BAD_PARAM;
	}
	need = (((uint64_t)64 << log_size) + (4096ull << log_pg) - 1) / (4096ull << log_pg);
	if (npas < need) {
		emu_log(e, "error: CREATE_EQ: %u PAS entries for %llu pages", npas,
			(unsigned long long)need);
		return EMU_STAT_BAD_INP_LEN;
	}
	for (i = 0; i < EMU_MAX_EQS; i++)
		if (!e->eq[i].used) {
			eq = &e->eq[i];
			break;
		}
	if (!eq)
		return EMU_STAT_LIM;
	eq->pas = calloc(need, sizeof(*eq->pas));
	if (!eq->pas)
		return EMU_STAT_INT_ERR;
	for (i = 0; i < need; i++) {
		eq->pas[i] = MLX5_ARRAY_GET64(create_eq_in, c->in, pas, i);
		if (eq->pas[i] & 0xfff) {
			emu_log(e, "error: CREATE_EQ: unaligned PAS 0x%llx",
				(unsigned long long)eq->pas[i]);
			free(eq->pas);
			eq->pas = NULL;
			return EMU_STAT_BAD_PARAM;
		}
	}
	eq->npas = need;
	eq->used = 1;
	eq->eqn = e->next_eqn++ & 0xff;
	if (!eq->eqn)
		eq->eqn = e->next_eqn++ & 0xff;
	eq->log_size = log_size;
	eq->log_page_size = log_pg;
	eq->intr = intr;
	eq->pi = 0;
	for (i = 0; i < 4; i++)
		eq->mask[i] = MLX5_ARRAY_GET64(create_eq_in, c->in, event_bitmask, i);
	MLX5_SET(create_eq_out, c->out, eq_number, eq->eqn);
	emu_log(e, "eq %u created: log_size=%u intr=%u mask0=0x%llx", eq->eqn, log_size,
		intr, (unsigned long long)eq->mask[0]);
	if (e->cmd_eq < 0 && (eq->mask[0] & (1ull << EMU_EVENT_TYPE_CMD))) {
		e->cmd_eq = eq - e->eq;
		c->created_cmd_eq = 1;
		emu_log(e, "eq %u is the command EQ: completions now by EQE + MSI-X %u",
			eq->eqn, intr);
	}
	return EMU_STAT_OK;
}

void emu_eq_free(struct emu_eq *eq)
{
	free(eq->pas);
	memset(eq, 0, sizeof(*eq));
}

static uint8_t h_destroy_eq(struct ctx *c)
{
	struct mlx5_emu *e = c->e;
	uint32_t eqn = MLX5_GET(destroy_eq_in, c->in, eq_number);
	int i;

	for (i = 0; i < EMU_MAX_EQS; i++) {
		if (e->eq[i].used && e->eq[i].eqn == eqn) {
			if (e->cmd_eq == i) {
				e->cmd_eq = -1;
				emu_log(e, "command EQ destroyed: completions by polling");
			}
			emu_eq_free(&e->eq[i]);
			return EMU_STAT_OK;
		}
	}
	return EMU_STAT_BAD_RES;
}

void emu_state_write(struct mlx5_emu *e)
{
	char tmp[4096];
	FILE *f;

	if (!e->state_path)
		return;
	/*
	 * A new file renamed over the old one: a reader (the guest, over 9p)
	 * sees the old state or the new one, never an empty file.
	 */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", e->state_path) >= (int)sizeof(tmp))
		return;
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "uctx_live=%u\nobj_live=%u\numem_live=%u\ntunnel_obj_live=%u\n",
		e->uctx_live, e->obj_live, e->umem_live, e->tunnel_obj_live);
	if (fclose(f) || rename(tmp, e->state_path))
		unlink(tmp);
}

static uint8_t h_create_uctx(struct ctx *c)
{
	struct mlx5_emu *e = c->e;
	const void *uctx = MLX5_ADDR_OF(create_uctx_in, c->in, uctx);
	uint32_t cap = MLX5_GET(uctx, uctx, cap);
	unsigned int uid;

	if (cap & ~EMU_UCTX_CAP) {
		emu_log(e, "error: CREATE_UCTX: cap 0x%x beyond uctx_cap 0x%x", cap, EMU_UCTX_CAP);
		return EMU_STAT_BAD_PARAM;
	}
	for (uid = 1; uid < EMU_MAX_UIDS; uid++)
		if (!e->uid_live[uid])
			break;
	if (uid >= EMU_MAX_UIDS)
		return EMU_STAT_LIM;
	e->uid_live[uid] = 1;
	e->uctx_live++;
	MLX5_SET(create_uctx_out, c->out, uid, uid);
	c->uctx_changed = 1;
	snprintf(c->note, sizeof(c->note), "uctx created uid=%u cap=0x%x", uid, cap);
	return EMU_STAT_OK;
}

static void obj_release(struct mlx5_emu *e, struct emu_obj *o);

static uint8_t h_destroy_uctx(struct ctx *c)
{
	struct mlx5_emu *e = c->e;
	uint32_t uid = MLX5_GET(destroy_uctx_in, c->in, uid);
	unsigned int i, owned = 0, tunnelled = 0;

	if (!uid || uid >= EMU_MAX_UIDS || !e->uid_live[uid])
		return EMU_STAT_BAD_RES;
	for (i = 0; i < EMU_MAX_OBJS; i++)
		if (e->obj[i].kind != EMU_OBJ_FREE && e->obj[i].uid == uid) {
			if (e->obj[i].tunnel)
				tunnelled++;
			else
				owned++;
		}
	if (owned) {
		/* the kernel destroys a context's objects before the context */
		emu_log(e, "note: DESTROY_UCTX uid %u still owns %u objects", uid, owned);
		return EMU_STAT_BAD_RES_STATE;
	}
	/*
	 * Objects created through the VHCA tunnel are invisible to the kernel
	 * (DEVX_OTHER does not track them): the firmware releases them with
	 * their context.
	 */
	if (tunnelled) {
		for (i = 0; i < EMU_MAX_OBJS; i++)
			if (e->obj[i].kind != EMU_OBJ_FREE && e->obj[i].uid == uid)
				obj_release(e, &e->obj[i]);
		c->obj_changed = 1;
		snprintf(c->note, sizeof(c->note),
			 "note: DESTROY_UCTX uid %u released %u tunnelled objects", uid, tunnelled);
	} else {
		snprintf(c->note, sizeof(c->note), "uctx destroyed uid=%u", uid);
	}
	e->uid_live[uid] = 0;
	e->uctx_live--;
	c->uctx_changed = 1;
	return EMU_STAT_OK;
}

static uint8_t h_alloc_pd(struct ctx *c)
{
	MLX5_SET(alloc_pd_out, c->out, pd, c->e->next_pd++ & 0xffffff);
	return EMU_STAT_OK;
}

static uint8_t h_alloc_xrcd(struct ctx *c)
{
	MLX5_SET(alloc_xrcd_out, c->out, xrcd, c->e->next_xrcd++ & 0xffffff);
	return EMU_STAT_OK;
}

static uint8_t h_alloc_td(struct ctx *c)
{
	MLX5_SET(alloc_transport_domain_out, c->out, transport_domain,
		 c->e->next_td++ & 0xffffff);
	return EMU_STAT_OK;
}

static uint8_t h_create_mkey(struct ctx *c)
{
	MLX5_SET(create_mkey_out, c->out, mkey_index, c->e->next_mkey++ & 0xffffff);
	return EMU_STAT_OK;
}

static uint8_t h_query_nic_vport_context(struct ctx *c)
{
	void *ctx = MLX5_ADDR_OF(query_nic_vport_context_out, c->out, nic_vport_context);

	/* a stable, locally administered identity */
	MLX5_SET64(nic_vport_context, ctx, system_image_guid, 0x0002c90300fe0001ull);
	MLX5_SET64(nic_vport_context, ctx, node_guid, 0x0002c90300fe0001ull);
	MLX5_SET64(nic_vport_context, ctx, port_guid, 0x0002c90300fe0001ull);
	MLX5_SET(nic_vport_context, ctx, mtu, 1500);
	return EMU_STAT_OK;
}

/* ------------------------------------------------------------------ */
/* DEVX objects: general objects and umems                              */

void emu_objs_reset(struct mlx5_emu *e)
{
	unsigned int i;

	if (e->obj_live)
		emu_log(e, "obj live=0 (reset)");
	for (i = 0; i < EMU_MAX_OBJS; i++)
		e->obj[i].kind = EMU_OBJ_FREE;
	e->obj_live = e->umem_live = e->tunnel_obj_live = 0;
}

static struct emu_obj *obj_find(struct mlx5_emu *e, int kind, uint16_t type, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < EMU_MAX_OBJS; i++)
		if (e->obj[i].kind == kind && e->obj[i].id == id &&
		    (kind != EMU_OBJ_GENERAL || e->obj[i].obj_type == type))
			return &e->obj[i];
	return NULL;
}

/*
 * A free slot and a fresh id (24 bits, never 0, not in use).  NULL when the
 * table is full.
 */
static struct emu_obj *obj_alloc(struct mlx5_emu *e)
{
	struct emu_obj *o = NULL;
	unsigned int i, tries;

	for (i = 0; i < EMU_MAX_OBJS; i++)
		if (e->obj[i].kind == EMU_OBJ_FREE) {
			o = &e->obj[i];
			break;
		}
	if (!o)
		return NULL;
	memset(o, 0, sizeof(*o) - sizeof(o->ctx));
	for (tries = 0; tries <= EMU_MAX_OBJS; tries++) {
		uint32_t id = e->next_obj_id++ & EMU_OBJ_ID_MASK;

		if (!id)
			id = e->next_obj_id++ & EMU_OBJ_ID_MASK;
		for (i = 0; i < EMU_MAX_OBJS; i++)
			if (e->obj[i].kind != EMU_OBJ_FREE && e->obj[i].id == id)
				break;
		if (i == EMU_MAX_OBJS) {
			o->id = id;
			return o;
		}
	}
	return NULL;
}

/* uid 0 is the kernel; any other uid must be a live user context */
static int uid_ok(struct ctx *c, uint16_t uid, const char *what)
{
	if (!uid || (uid < EMU_MAX_UIDS && c->e->uid_live[uid]))
		return 1;
	emu_log(c->e, "error: %s: uid %u is not a live user context", what, uid);
	return 0;
}

/*
 * The object named by (kind, type, id) as seen by uid: BAD_RES if it does
 * not exist, lives on the other function (created through the VHCA tunnel
 * and the command did not come through it, or the other way round), or
 * belongs to another user context (uid 0 may use any object).
 */
static uint8_t obj_lookup(struct ctx *c, int kind, uint16_t type, uint32_t id,
			  uint16_t uid, const char *what, struct emu_obj **out)
{
	struct emu_obj *o = obj_find(c->e, kind, type, id);

	if (!o) {
		emu_log(c->e, "error: %s: no object type 0x%04x id 0x%06x", what, type, id);
		return EMU_STAT_BAD_RES;
	}
	if (o->tunnel != c->tunnel) {
		emu_log(c->e, "error: %s: object 0x%06x is on vhca_tunnel_id %u, the command on %u",
			what, id, o->tunnel, c->tunnel);
		return EMU_STAT_BAD_RES;
	}
	if (uid && o->uid != uid) {
		emu_log(c->e, "error: %s: object 0x%06x belongs to uid %u, not uid %u", what,
			id, o->uid, uid);
		return EMU_STAT_BAD_RES;
	}
	*out = o;
	return EMU_STAT_OK;
}

static void obj_store_ctx(struct emu_obj *o, const struct ctx *c)
{
	uint32_t hdr = MLX5_ST_SZ_BYTES(general_obj_in_cmd_hdr);
	uint32_t n = c->inlen - hdr;

	if (n > EMU_OBJ_CTX_MAX)
		n = EMU_OBJ_CTX_MAX;
	memcpy(o->ctx, c->in + hdr, n);
	memset(o->ctx + n, 0, EMU_OBJ_CTX_MAX - n);
	o->ctx_len = n;
}

/* a new object: on the function the command ran on, counted as live */
static void obj_account(struct ctx *c, struct emu_obj *o)
{
	o->tunnel = c->tunnel;
	if (o->tunnel)
		c->e->tunnel_obj_live++;
	if (o->kind == EMU_OBJ_UMEM)
		c->e->umem_live++;
	c->e->obj_live++;
	c->obj_changed = 1;
}

static uint8_t h_create_general_obj(struct ctx *c)
{
	uint16_t type = MLX5_GET(general_obj_in_cmd_hdr, c->in, obj_type);
	uint16_t uid = MLX5_GET(general_obj_in_cmd_hdr, c->in, uid);
	struct emu_obj *o;

	if (type >= 64 || !(EMU_GENERAL_OBJ_TYPES & (1ull << type))) {
		emu_log(c->e, "note: CREATE_GENERAL_OBJECT of unsupported type 0x%04x", type);
		c->syndrome = 0x5e0a0000u | type;
		return EMU_STAT_BAD_PARAM;
	}
	if (MLX5_GET(general_obj_in_cmd_hdr, c->in, op_param.create.log_obj_range)) {
		emu_log(c->e, "error: CREATE_GENERAL_OBJECT: log_obj_range is not supported");
		return EMU_STAT_BAD_PARAM;
	}
	if (!uid_ok(c, uid, "CREATE_GENERAL_OBJECT"))
		return EMU_STAT_BAD_PARAM;
	o = obj_alloc(c->e);
	if (!o)
		return EMU_STAT_LIM;
	o->kind = EMU_OBJ_GENERAL;
	o->uid = uid;
	o->obj_type = type;
	obj_store_ctx(o, c);
	obj_account(c, o);
	snprintf(c->note, sizeof(c->note), "obj created type=0x%04x id=0x%06x uid=%u%s", type,
		 o->id, uid, c->tunnel_sfx);
	MLX5_SET(general_obj_out_cmd_hdr, c->out, obj_id, o->id);
	return EMU_STAT_OK;
}

static uint8_t h_modify_general_obj(struct ctx *c)
{
	struct emu_obj *o;
	uint8_t st = obj_lookup(c, EMU_OBJ_GENERAL,
				MLX5_GET(general_obj_in_cmd_hdr, c->in, obj_type),
				MLX5_GET(general_obj_in_cmd_hdr, c->in, obj_id),
				MLX5_GET(general_obj_in_cmd_hdr, c->in, uid),
				"MODIFY_GENERAL_OBJECT", &o);

	/* modify_field_select is not interpreted: the new context replaces the old */
	if (st == EMU_STAT_OK)
		obj_store_ctx(o, c);
	return st;
}

static uint8_t h_query_general_obj(struct ctx *c)
{
	uint32_t hdr = MLX5_ST_SZ_BYTES(general_obj_out_cmd_hdr), n;
	struct emu_obj *o;
	uint8_t st = obj_lookup(c, EMU_OBJ_GENERAL,
				MLX5_GET(general_obj_in_cmd_hdr, c->in, obj_type),
				MLX5_GET(general_obj_in_cmd_hdr, c->in, obj_id),
				MLX5_GET(general_obj_in_cmd_hdr, c->in, uid),
				"QUERY_GENERAL_OBJECT", &o);

	if (st != EMU_STAT_OK)
		return st;
	/* the header, then the context as last created or modified */
	n = c->outlen - hdr < o->ctx_len ? c->outlen - hdr : o->ctx_len;
	memcpy(c->out + hdr, o->ctx, n);
	return EMU_STAT_OK;
}

/* forget o, keeping the live counts right */
static void obj_release(struct mlx5_emu *e, struct emu_obj *o)
{
	if (o->kind == EMU_OBJ_UMEM)
		e->umem_live--;
	if (o->tunnel)
		e->tunnel_obj_live--;
	o->kind = EMU_OBJ_FREE;
	e->obj_live--;
}

static void obj_free(struct ctx *c, struct emu_obj *o)
{
	if (o->kind == EMU_OBJ_UMEM)
		snprintf(c->note, sizeof(c->note), "umem destroyed id=0x%06x uid=%u%s", o->id,
			 o->uid, c->tunnel_sfx);
	else
		snprintf(c->note, sizeof(c->note), "obj destroyed type=0x%04x id=0x%06x uid=%u%s",
			 o->obj_type, o->id, o->uid, c->tunnel_sfx);
	obj_release(c->e, o);
	c->obj_changed = 1;
}

static uint8_t h_destroy_general_obj(struct ctx *c)
{
	struct emu_obj *o;
	uint8_t st = obj_lookup(c, EMU_OBJ_GENERAL,
				MLX5_GET(general_obj_in_cmd_hdr, c->in, obj_type),
				MLX5_GET(general_obj_in_cmd_hdr, c->in, obj_id),
				MLX5_GET(general_obj_in_cmd_hdr, c->in, uid),
				"DESTROY_GENERAL_OBJECT", &o);

	if (st == EMU_STAT_OK)
		obj_free(c, o);
	return st;
}

static uint8_t h_create_umem(struct ctx *c)
{
	const void *umem = MLX5_ADDR_OF(create_umem_in, c->in, umem);
	uint16_t uid = MLX5_GET(create_umem_in, c->in, uid);
	uint64_t nmtt = MLX5_GET64(umem, umem, num_of_mtt);
	uint32_t log_pg = MLX5_GET(umem, umem, log_page_size);
	uint32_t base = MLX5_ST_SZ_BYTES(create_umem_in), i;
	const uint8_t *mtt = (const uint8_t *)c->in + base;
	struct emu_obj *o;

	if (!nmtt || log_pg > 18) {
		emu_log(c->e, "error: CREATE_UMEM: num_of_mtt %llu log_page_size %u",
			(unsigned long long)nmtt, log_pg);
		return EMU_STAT_BAD_PARAM;
	}
	if (nmtt > (c->inlen - base) / 8) {
		emu_log(c->e, "error: CREATE_UMEM: %llu MTT entries but inlen %u",
			(unsigned long long)nmtt, c->inlen);
		return EMU_STAT_BAD_INP_LEN;
	}
	for (i = 0; i < nmtt; i++) {
		uint64_t a, pg = 4096ull << log_pg;
		uint8_t b;

		memcpy(&a, mtt + 8 * i, 8);
		a = be64toh(a) & ~3ull;		/* low bits: wr_en, rd_en */
		if ((a & (pg - 1)) || dma_read(c->e->dma, a, &b, 1) ||
		    dma_read(c->e->dma, a + pg - 1, &b, 1)) {
			emu_log(c->e, "error: CREATE_UMEM: MTT %u = 0x%llx is not a page of guest memory",
				i, (unsigned long long)a);
			return EMU_STAT_BAD_PARAM;
		}
	}
	if (!uid_ok(c, uid, "CREATE_UMEM"))
		return EMU_STAT_BAD_PARAM;
	o = obj_alloc(c->e);
	if (!o)
		return EMU_STAT_LIM;
	o->kind = EMU_OBJ_UMEM;
	o->uid = uid;
	o->num_mtt = nmtt;
	obj_account(c, o);
	snprintf(c->note, sizeof(c->note),
		 "umem created id=0x%06x uid=%u mtt=%llu log_page_size=%u%s", o->id, uid,
		 (unsigned long long)nmtt, log_pg, c->tunnel_sfx);
	MLX5_SET(create_umem_out, c->out, umem_id, o->id);
	return EMU_STAT_OK;
}

static uint8_t h_destroy_umem(struct ctx *c)
{
	struct emu_obj *o;
	uint8_t st = obj_lookup(c, EMU_OBJ_UMEM, 0,
				MLX5_GET(destroy_umem_in, c->in, umem_id),
				MLX5_GET(destroy_umem_in, c->in, uid), "DESTROY_UMEM", &o);

	if (st == EMU_STAT_OK)
		obj_free(c, o);
	return st;
}

static uint8_t h_mad_ifc(struct ctx *c)
{
	const uint8_t *mad = MLX5_ADDR_OF(mad_ifc_in, c->in, mad);

	emu_log(c->e, "note: MAD_IFC port %u class 0x%02x method 0x%02x attr 0x%04x",
		MLX5_GET(mad_ifc_in, c->in, port), mad[1], mad[3],
		(mad[16] << 8) | mad[17]);
	return EMU_STAT_BAD_OP;
}

/*
 * min_in/min_out: the kernel's struct sizes; shorter boxes are refused.
 * pf_only: the command changes state only the PF has in this model (HCA life
 * cycle, ISSI, EQs, UARs, user contexts), so it is not run through the VHCA
 * tunnel.
 */
struct handler {
	uint16_t opcode;
	const char *name;
	uint32_t min_in, min_out;
	handler_fn fn;
	int pf_only;
};

#define H(op, typ, fn) \
	{ MLX5_CMD_OP_##op, #op, MLX5_ST_SZ_BYTES(typ##_in), MLX5_ST_SZ_BYTES(typ##_out), fn, 0 }

/* the same, for a command the tunnel refuses */
#define HP(op, typ, fn) \
	{ MLX5_CMD_OP_##op, #op, MLX5_ST_SZ_BYTES(typ##_in), MLX5_ST_SZ_BYTES(typ##_out), fn, 1 }

/* commands whose boxes are the generic general-object headers */
#define H2(op, tin, tout, fn) \
	{ MLX5_CMD_OP_##op, #op, MLX5_ST_SZ_BYTES(tin), MLX5_ST_SZ_BYTES(tout), fn, 0 }

static const struct handler handlers[] = {
	H(QUERY_HCA_CAP, query_hca_cap, h_query_hca_cap),
	H(QUERY_ADAPTER, query_adapter, h_query_adapter),
	HP(INIT_HCA, init_hca, h_init_hca),
	HP(TEARDOWN_HCA, teardown_hca, h_teardown_hca),
	HP(ENABLE_HCA, enable_hca, h_enable_hca),
	HP(DISABLE_HCA, disable_hca, h_disable_hca),
	H(QUERY_PAGES, query_pages, h_query_pages),
	H(MANAGE_PAGES, manage_pages, h_manage_pages),
	H(SET_HCA_CAP, set_hca_cap, h_set_hca_cap),
	H(QUERY_ISSI, query_issi, h_query_issi),
	HP(SET_ISSI, set_issi, h_set_issi),
	H(CREATE_MKEY, create_mkey, h_create_mkey),
	H(DESTROY_MKEY, destroy_mkey, h_ok),
	HP(CREATE_EQ, create_eq, h_create_eq),
	HP(DESTROY_EQ, destroy_eq, h_destroy_eq),
	H(QUERY_NIC_VPORT_CONTEXT, query_nic_vport_context, h_query_nic_vport_context),
	H(QUERY_HCA_VPORT_PKEY, query_hca_vport_pkey, h_ok),
	H(ALLOC_PD, alloc_pd, h_alloc_pd),
	H(DEALLOC_PD, dealloc_pd, h_ok),
	HP(ALLOC_UAR, alloc_uar, h_alloc_uar),
	HP(DEALLOC_UAR, dealloc_uar, h_dealloc_uar),
	H(ACCESS_REG, access_register, h_access_reg),
	H(NOP, nop, h_ok),
	H(MAD_IFC, mad_ifc, h_mad_ifc),
	H(ALLOC_XRCD, alloc_xrcd, h_alloc_xrcd),
	H(DEALLOC_XRCD, dealloc_xrcd, h_ok),
	H(ALLOC_TRANSPORT_DOMAIN, alloc_transport_domain, h_alloc_td),
	H(DEALLOC_TRANSPORT_DOMAIN, dealloc_transport_domain, h_ok),
	HP(CREATE_UCTX, create_uctx, h_create_uctx),
	HP(DESTROY_UCTX, destroy_uctx, h_destroy_uctx),
	H2(CREATE_GENERAL_OBJECT, general_obj_in_cmd_hdr, general_obj_out_cmd_hdr,
	   h_create_general_obj),
	H2(MODIFY_GENERAL_OBJECT, general_obj_in_cmd_hdr, general_obj_out_cmd_hdr,
	   h_modify_general_obj),
	H2(QUERY_GENERAL_OBJECT, general_obj_in_cmd_hdr, general_obj_out_cmd_hdr,
	   h_query_general_obj),
	H2(DESTROY_GENERAL_OBJECT, general_obj_in_cmd_hdr, general_obj_out_cmd_hdr,
	   h_destroy_general_obj),
	H(CREATE_UMEM, create_umem, h_create_umem),
	H(DESTROY_UMEM, destroy_umem, h_destroy_umem),
};

static const struct handler *find_handler(uint16_t op)
{
	size_t i;

	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (handlers[i].opcode == op)
			return &handlers[i];
	return NULL;
}

const char *emu_opcode_name(uint16_t op)
{
	const struct handler *h = find_handler(op);

	return h ? h->name : "UNKNOWN";
}

void emu_log_cmd(struct mlx5_emu *e, uint16_t op, uint16_t op_mod, uint16_t uid,
		 uint16_t tunnel, uint32_t inlen, uint8_t status)
{
	/* guest tests sscanf the prefix: it must not change */
	if (tunnel)
		emu_log(e, "cmd opcode=0x%04x op_mod=0x%04x uid=%u inlen=%u status=0x%02x tunnel=%u",
			op, op_mod, uid, inlen, status, tunnel);
	else
		emu_log(e, "cmd opcode=0x%04x op_mod=0x%04x uid=%u inlen=%u status=0x%02x",
			op, op_mod, uid, inlen, status);
}

uint8_t emu_exec(struct mlx5_emu *e, const uint8_t *in, uint32_t inlen,
		 uint8_t *out, uint32_t outlen, int *created_cmd_eq)
{
	struct ctx c = { .e = e, .in = in, .inlen = inlen, .out = out, .outlen = outlen };
	uint16_t op = 0, op_mod = 0, uid = 0, tunnel = 0;
	const struct handler *h;
	uint8_t status;

	if (inlen >= MLX5_ST_SZ_BYTES(mbox_in) / 2) {
		op = MLX5_GET(mbox_in, in, opcode);
		op_mod = MLX5_GET(mbox_in, in, op_mod);
		uid = MLX5_GET(mbox_in, in, uid);
		/* every inbox has the general header's vhca_tunnel_id (else reserved) */
		tunnel = MLX5_GET(general_obj_in_cmd_hdr, in, vhca_tunnel_id);
	}
	c.tunnel = tunnel;
	if (tunnel)
		snprintf(c.tunnel_sfx, sizeof(c.tunnel_sfx), " tunnel=%u", tunnel);
	h = find_handler(op);
	if (inlen < 8) {
		status = EMU_STAT_BAD_INP_LEN;
	} else if (outlen < 8) {
		status = EMU_STAT_BAD_OUTP_LEN;
	} else if (tunnel && tunnel != EMU_TUNNEL_VHCA_ID) {
		emu_log(e, "error: %s (0x%04x): vhca_tunnel_id %u names no function (only %u)",
			emu_opcode_name(op), op, tunnel, EMU_TUNNEL_VHCA_ID);
		status = EMU_STAT_BAD_PARAM;
	} else if (!h) {
		emu_log(e, "note: unsupported opcode 0x%04x op_mod 0x%04x", op, op_mod);
		status = EMU_STAT_BAD_OP;
	} else if (inlen < h->min_in) {
		emu_log(e, "error: %s: inlen %u < %u", h->name, inlen, h->min_in);
		status = EMU_STAT_BAD_INP_LEN;
	} else if (outlen < h->min_out) {
		emu_log(e, "error: %s: outlen %u < %u", h->name, outlen, h->min_out);
		status = EMU_STAT_BAD_OUTP_LEN;
	} else if (tunnel && h->pf_only) {
		emu_log(e, "note: %s through vhca_tunnel_id %u is not modelled", h->name, tunnel);
		status = EMU_STAT_BAD_OP;
	} else {
		status = h->fn(&c);
	}
	if (status != EMU_STAT_OK) {
		/* a failed command returns nothing but status and syndrome */
		memset(out, 0, outlen);
		if (!c.syndrome)
			c.syndrome = 0x5e000000u | ((uint32_t)op << 8) | status;
	}
	if (outlen >= 8) {
		MLX5_SET(mbox_out, out, status, status);
		MLX5_SET(mbox_out, out, syndrome, c.syndrome);
	}
	emu_log_cmd(e, op, op_mod, uid, tunnel, inlen, status);
	/* the details, then the live counts, then the state file */
	if ((c.uctx_changed || c.obj_changed || c.log_note) && c.note[0])
		emu_log(e, "%s", c.note);
	if (c.obj_changed)
		emu_log(e, "obj live=%u", e->obj_live);
	if (c.uctx_changed)
		emu_log(e, "uctx live=%u", e->uctx_live);
	if (c.uctx_changed || c.obj_changed)
		emu_state_write(e);
	if (created_cmd_eq)
		*created_cmd_eq = c.created_cmd_eq;
	return status;
}
