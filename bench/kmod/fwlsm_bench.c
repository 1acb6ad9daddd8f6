// SPDX-License-Identifier: GPL-2.0
/*
 * fwlsm_bench - the cost of security_fw_validate_cmd() next to its peer,
 * the ioctl extended-permission check of security_file_ioctl()
 *
 * The benchmark runs when the module is loaded, in the process that loads
 * it and with that process's credentials: load it from the domain whose
 * checks are to be timed.  It opens the fwctl device file @path and times,
 * in @rounds interleaved rounds of @iters calls each:
 *
 *  - security_fw_validate_cmd() on that file with an mlx5 fwctl command of
 *    opcode @opcode, built the way fwctl/mlx5 builds it for an RPC, which
 *    includes looking it up in the firmware command classifier's rules
 *    that are loaded (guest/bench-kmod.sh loads sets of them to time that);
 *  - security_file_ioctl() on the same file with the ioctl number
 *    @ioctl_cmd, whose low 16 bits SELinux looks up in the same extended
 *    permission cache (ioctl_has_perm() -> avc_has_extended_perms()).
 *
 * Only decisions that are checked are timed: every timed call must return
 * 0, and @opcode on @deny_path, @deny_opcode on @path, @ioctl_cmd on
 * @deny_path and @deny_ioctl on @path must return -EACCES (0 if
 * @expect_deny is false, for a kernel with no LSM implementing the hooks).
 * A wrong decision fails the load with -EBADE and a message saying which.
 *
 * A batch of the firmware-command check has @fw_iters calls if that is
 * positive, @iters if it is 0, and if it is -1 as many as take about as
 * long as @iters ioctl checks, measured on untimed batches first: with a
 * long table of classifier rules to walk, a call can cost a thousand times
 * the ioctl check.
 *
 * On success it prints one line, "fwlsm_bench: result config=@config ...",
 * with the medians over the rounds in ns per check and their ratio, and
 * stays loaded until it is removed; it keeps nothing open.  Batches are
 * counted in cycles (get_cycles()) and converted to ns at the rate
 * @cycles_per_us, or if it is 0 at the rate measured with ktime_get_ns()
 * over the whole run, at least a second.  (In a guest whose clocksource
 * is jiffies, ticks lost under load make that rate wrong by up to 20 %:
 * give the host's TSC rate, which QEMU's TCG guests count at.)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mlx5/device.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timex.h>
#include <uapi/fwctl/fwctl.h>

static char *path = "/dev/fwctl/fwctl0";
module_param(path, charp, 0444);
MODULE_PARM_DESC(path, "mlx5 fwctl device file whose checks are timed");

static char *deny_path;
module_param(deny_path, charp, 0444);
MODULE_PARM_DESC(deny_path, "a node of the same device where both checks are denied");

static ushort opcode = MLX5_CMD_OP_QUERY_ADAPTER;
module_param(opcode, ushort, 0444);
MODULE_PARM_DESC(opcode, "mlx5 opcode of the timed command (allowed)");

static int deny_opcode = -1;
module_param(deny_opcode, int, 0444);
MODULE_PARM_DESC(deny_opcode, "an mlx5 opcode denied on path (-1: none)");

static uint ioctl_cmd = FWCTL_RPC;
module_param(ioctl_cmd, uint, 0444);
MODULE_PARM_DESC(ioctl_cmd, "ioctl number of the timed ioctl check (allowed)");

static int deny_ioctl = -1;
module_param(deny_ioctl, int, 0444);
MODULE_PARM_DESC(deny_ioctl, "an ioctl number denied on path (-1: none)");

static bool expect_deny = true;
module_param(expect_deny, bool, 0444);
MODULE_PARM_DESC(expect_deny, "the denied values must get -EACCES (else 0: no LSM)");

static uint iters = 50000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "calls per timed batch");

static int fw_iters;
module_param(fw_iters, int, 0444);
MODULE_PARM_DESC(fw_iters, "calls per batch of the fw check (0: iters, -1: as long as a batch of iters ioctl checks)");

static uint rounds = 9;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "interleaved rounds (one batch of each check per round)");

static uint cycles_per_us;
module_param(cycles_per_us, uint, 0444);
MODULE_PARM_DESC(cycles_per_us, "cycle counter rate (0: measure it with ktime_get_ns())");

static char *config = "default";
module_param(config, charp, 0444);
MODULE_PARM_DESC(config, "name of the configuration, printed with the results");

/* The mlx5 command header, as fwctl/mlx5 defines it (drivers/fwctl/mlx5). */
struct mlx5_ifc_mbox_in_hdr_bits {
	u8 opcode[0x10];
	u8 uid[0x10];

	u8 reserved_at_20[0x10];
	u8 op_mod[0x10];

	u8 reserved_at_40[0x40];
};

struct fwlsm_bench_cmd {
	u32 in[MLX5_ST_SZ_DW(mbox_in_hdr)];
	struct fw_cmd cmd;
};

/* A read-only query, as mlx5ctl_check_rpc() passes it to the LSM. */
static void fwlsm_bench_cmd_init(struct fwlsm_bench_cmd *c, u16 op)
{
	memset(c, 0, sizeof(*c));
	MLX5_SET(mbox_in_hdr, c->in, opcode, op);
	c->cmd.in = c->in;
	c->cmd.in_len = sizeof(c->in);
	c->cmd.family = FW_CMD_FWCTL_MLX5;
	c->cmd.opcode = op;
	c->cmd.scope = FWCTL_RPC_DEBUG_READ_ONLY;
}

/*
 * Batches are timed with the cycle counter: the guest this runs in under
 * QEMU (TCG, no ACPI) has no clocksource finer than jiffies, so
 * ktime_get_ns() advances in steps of 4 ms.  fwlsm_bench_clock() converts
 * cycles to ns with ktime_get_ns() over the whole run.
 */
static int time_fw(struct file *file, const struct fw_cmd *cmd,
		   unsigned int n, u64 *cycles)
{
	unsigned int i;
	cycles_t c0;
	int rc;

	c0 = get_cycles();
	for (i = 0; i < n; i++) {
		rc = security_fw_validate_cmd(file, cmd);
		if (unlikely(rc))
			return rc;
	}
	*cycles = get_cycles() - c0;
	return 0;
}

static int time_ioctl(struct file *file, unsigned int cmd, unsigned int n,
		      u64 *cycles)
{
	unsigned int i;
	cycles_t c0;
	int rc;

	c0 = get_cycles();
	for (i = 0; i < n; i++) {
		rc = security_file_ioctl(file, cmd, 0);
		if (unlikely(rc))
			return rc;
	}
	*cycles = get_cycles() - c0;
	return 0;
}

struct fwlsm_bench_clock {
	u64 ns;
	cycles_t cycles;
};

/* Read both clocks just after ktime_get_ns() has moved on. */
static void fwlsm_bench_clock(struct fwlsm_bench_clock *clk)
{
	u64 t = ktime_get_ns();

	while ((clk->ns = ktime_get_ns()) == t)
		cpu_relax();
	clk->cycles = get_cycles();
}

static int fwlsm_bench_expect(const char *what, unsigned int value, int rc,
			      int want)
{
	if (rc == want)
		return 0;
	pr_err("config=%s FAIL: %s 0x%x returned %d, expected %d\n",
	       config, what, value, rc, want);
	return -EBADE;
}

/* The decisions the timed calls depend on, checked once each. */
static int fwlsm_bench_check_denials(struct file *file, unsigned int *checked)
{
	int want = expect_deny ? -EACCES : 0;
	struct fwlsm_bench_cmd c;
	struct file *deny;
	int rc = 0;

	if (deny_opcode >= 0) {
		fwlsm_bench_cmd_init(&c, deny_opcode);
		rc = fwlsm_bench_expect("fw check of opcode", deny_opcode,
					security_fw_validate_cmd(file, &c.cmd),
					want);
		(*checked)++;
	}
	if (!rc && deny_ioctl >= 0) {
		rc = fwlsm_bench_expect("ioctl check of", deny_ioctl,
					security_file_ioctl(file, deny_ioctl, 0),
					want);
		(*checked)++;
	}
	if (rc || !deny_path || !*deny_path)
		return rc;

	deny = filp_open(deny_path, O_RDWR, 0);
	if (IS_ERR(deny)) {
		pr_err("config=%s FAIL: cannot open %s: %ld\n", config,
		       deny_path, PTR_ERR(deny));
		return PTR_ERR(deny);
	}
	fwlsm_bench_cmd_init(&c, opcode);
	rc = fwlsm_bench_expect("fw check (denied node) of opcode", opcode,
				security_fw_validate_cmd(deny, &c.cmd), want);
	if (!rc)
		rc = fwlsm_bench_expect("ioctl check (denied node) of",
					ioctl_cmd,
					security_file_ioctl(deny, ioctl_cmd, 0),
					want);
	*checked += 2;
	filp_close(deny, NULL);
	return rc;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* @ps picoseconds as "ns.mmm". */
#define PS_FMT "%llu.%03llu"
#define PS_ARG(ps) (ps) / 1000, (ps) % 1000

/*
 * One round: a batch of each check, @fw_n and @iters calls, in the order
 * given by @ioctl_first.
 */
static int fwlsm_bench_round(struct file *file, const struct fw_cmd *cmd,
			     unsigned int fw_n, bool ioctl_first, u64 *fw,
			     u64 *ioctl)
{
	int rc;

	if (ioctl_first) {
		rc = time_ioctl(file, ioctl_cmd, iters, ioctl);
		return rc ?: time_fw(file, cmd, fw_n, fw);
	}
	rc = time_fw(file, cmd, fw_n, fw);
	return rc ?: time_ioctl(file, ioctl_cmd, iters, ioctl);
}

/*
 * Calls per batch of the fw check: @fw_iters, or (-1) as many as take as
 * long as @iters ioctl checks, never more.  Measured untimed, on a batch
 * of a tenth of @iters ioctl checks and fw batches of 1, 2, 4... calls
 * until one lasts as long.
 */
static int fwlsm_bench_fw_n(struct file *file, const struct fw_cmd *cmd,
			    unsigned int *fw_n)
{
	unsigned int n = max(iters / 10, 1U), m;
	u64 fw, io;
	int rc;

	if (fw_iters >= 0) {
		*fw_n = fw_iters ?: iters;
		return 0;
	}
	rc = time_ioctl(file, ioctl_cmd, n, &io);
	for (m = 1; !rc; m *= 2) {
		rc = time_fw(file, cmd, m, &fw);
		if (rc || fw >= io || m >= n)
			break;
	}
	if (rc)
		return rc;
	*fw_n = clamp_t(u64, mul_u64_u64_div_u64((u64)iters * m, io,
						 (u64)n * max(fw, 1ULL)),
			1, iters);
	return 0;
}

/* Picoseconds per check of a batch of @cycles and @n calls. */
static u64 batch_ps(u64 cycles, unsigned int n, u64 ns, u64 total_cycles)
{
	return div_u64(mul_u64_u64_div_u64(cycles, ns, total_cycles) * 1000,
		       n);
}

static int fwlsm_bench_run(struct file *file)
{
	u64 *fw_c, *ioctl_c, *fw_ps, *ioctl_ps, fw, io, ns, cycles, measured;
	struct fwlsm_bench_clock start, end;
	unsigned int r, fw_n, checked = 0;
	struct fwlsm_bench_cmd c;
	int rc;

	fwlsm_bench_cmd_init(&c, opcode);
	/* Both allowed, and the AVC warm, before anything is timed. */
	rc = fwlsm_bench_expect("fw check of opcode", opcode,
				security_fw_validate_cmd(file, &c.cmd), 0);
	if (!rc)
		rc = fwlsm_bench_expect("ioctl check of", ioctl_cmd,
					security_file_ioctl(file, ioctl_cmd, 0),
					0);
	if (!rc)
		rc = fwlsm_bench_check_denials(file, &checked);
	if (!rc)
		rc = fwlsm_bench_fw_n(file, &c.cmd, &fw_n);
	if (rc)
		return rc;

	fw_c = kcalloc(rounds, sizeof(*fw_c), GFP_KERNEL);
	ioctl_c = kcalloc(rounds, sizeof(*ioctl_c), GFP_KERNEL);
	fw_ps = kcalloc(rounds, sizeof(*fw_ps), GFP_KERNEL);
	ioctl_ps = kcalloc(rounds, sizeof(*ioctl_ps), GFP_KERNEL);
	if (!fw_c || !ioctl_c || !fw_ps || !ioctl_ps) {
		rc = -ENOMEM;
		goto out;
	}
	fwlsm_bench_clock(&start);
	for (r = 0; r < rounds; r++) {
		rc = fwlsm_bench_round(file, &c.cmd, fw_n, r % 2, &fw_c[r],
				       &ioctl_c[r]);
		if (rc) {
			pr_err("config=%s FAIL: a timed check returned %d in round %u\n",
			       config, rc, r);
			rc = -EBADE;
			goto out;
		}
		cond_resched();
	}
	/* At least a second of both clocks, to convert cycles to ns. */
	fwlsm_bench_clock(&end);
	if (!cycles_per_us && end.ns - start.ns < NSEC_PER_SEC)
		msleep(DIV_ROUND_UP_ULL(NSEC_PER_SEC - (end.ns - start.ns),
					NSEC_PER_MSEC));
	fwlsm_bench_clock(&end);
	ns = end.ns - start.ns;
	cycles = end.cycles - start.cycles;
	if (!cycles) {
		pr_err("config=%s FAIL: no cycle counter\n", config);
		rc = -EOPNOTSUPP;
		goto out;
	}
	/* The rate measured, printed; the rate given, if any, used. */
	measured = div64_u64(cycles * 1000, ns);
	if (cycles_per_us) {
		ns = 1000;
		cycles = cycles_per_us;
	}
	for (r = 0; r < rounds; r++) {
		fw_ps[r] = batch_ps(fw_c[r], fw_n, ns, cycles);
		ioctl_ps[r] = batch_ps(ioctl_c[r], iters, ns, cycles);
		pr_info("round config=%s round=%u fw_ns=" PS_FMT " ioctl_ns=" PS_FMT "\n",
			config, r, PS_ARG(fw_ps[r]), PS_ARG(ioctl_ps[r]));
	}
	/* median() sorts: the minimum is then the first value. */
	fw = median(fw_c, rounds);
	io = median(ioctl_c, rounds);
	pr_info("result config=%s iters=%u fw_iters=%u rounds=%u opcode=0x%04x fw_ns=" PS_FMT
		" ioctl=0x%x ioctl_ns=" PS_FMT " ratio_fw_ioctl=" PS_FMT " fw_min_ns=" PS_FMT
		" ioctl_min_ns=" PS_FMT " cycles_per_us=%u measured_cycles_per_us=%llu denials_checked=%u expect_deny=%d\n",
		config, iters, fw_n, rounds, opcode,
		PS_ARG(batch_ps(fw, fw_n, ns, cycles)), ioctl_cmd,
		PS_ARG(batch_ps(io, iters, ns, cycles)),
		PS_ARG(div64_u64(mul_u64_u64_div_u64(fw, iters, fw_n) * 1000, io)),
		PS_ARG(batch_ps(fw_c[0], fw_n, ns, cycles)),
		PS_ARG(batch_ps(ioctl_c[0], iters, ns, cycles)),
		cycles_per_us, measured, checked, expect_deny);
out:
	kfree(fw_c);
	kfree(ioctl_c);
	kfree(fw_ps);
	kfree(ioctl_ps);
	return rc;
}

static int __init fwlsm_bench_init(void)
{
	struct file *file;
	int rc;

	if (!iters || !rounds || rounds > 1000 || fw_iters < -1) {
		pr_err("config=%s FAIL: iters must be > 0, fw_iters -1 or more, rounds 1 to 1000\n",
		       config);
		return -EINVAL;
	}
	file = filp_open(path, O_RDWR, 0);
	if (IS_ERR(file)) {
		pr_err("config=%s FAIL: cannot open %s: %ld\n", config, path,
		       PTR_ERR(file));
		return PTR_ERR(file);
	}
	rc = fwlsm_bench_run(file);
	filp_close(file, NULL);
	return rc;
}

static void __exit fwlsm_bench_exit(void)
{
}

module_init(fwlsm_bench_init);
module_exit(fwlsm_bench_exit);

MODULE_DESCRIPTION("Time security_fw_validate_cmd() against the ioctl xperm check");
MODULE_LICENSE("GPL");
