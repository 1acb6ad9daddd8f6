// SPDX-License-Identifier: GPL-2.0
/*
 * fwstress: the firmware-command check under load, hostile input, races and
 * failing allocations, with an oracle for every command.
 *
 *   fwstress stress [-t THREADS] [-n COUNT] [-r RELOADS] [-s SEED]
 *   fwstress fuzz   [-n COUNT] [-s SEED]
 *   fwstress toctou [-n COUNT]
 *   fwstress faults [-n COUNT] [-s SEED] [-p PERCENT] [-a]
 *
 * The guest's init starts it in kernel_t, enforcing or not; it loads the
 * test policy, labels /dev/fwctl/fwctl0 and /dev/infiniband/uverbs0
 * fw_dev_t, enforces, and runs the commands in a child it sends into a test
 * domain (fw_stress_t, fw_fuzz_t, fw_toctou_t) by setexeccon and exec.  The
 * child reports what every command returned; the parent checks that against
 * the policy, the emulated device's command log (/fw/emu.log, every command
 * it executed, with the user context's uid) and, where the run says so, the
 * AVC records it reads as the audit daemon.  Output is TAP; the exit status
 * is 0 only if every check passed.
 *
 * stress: THREADS threads, each with its own fwctl and DEVX context, send
 *   COUNT commands each, alternating fwctl and DEVX, opcodes picked from a
 *   set on which the test policy (A) and policy/stress-b (B) agree for some
 *   and disagree for others, while the parent loads A and B in turn at least
 *   RELOADS times.  Every outcome must be one that A or B gives, the device
 *   must have executed exactly the delivered commands, and every refusal
 *   must have its AVC record.
 * fuzz: COUNT random mailboxes (opcodes, op_mods, lengths from 0 to past the
 *   2 MiB limit, bodies, fwctl scopes, tunnel ids) through fwctl and DEVX
 *   under fw_fuzz_t, which may send opcodes 0x0100-0x01ff only, at the read
 *   scopes, untunnelled.  Nothing else may reach the device.  Replay a
 *   failure with the same -s.
 * toctou: a thread flips the opcode of the user's mailbox between 0x0100
 *   (allowed) and 0x0101 (refused) while another sends it, COUNT times
 *   through fwctl and COUNT times through DEVX.  The device must never see
 *   0x0101, must see 0x0100 exactly as often as a command was delivered, and
 *   every refusal must have its AVC record naming 0x101.
 * faults: failslab and fail_page_alloc fail PERCENT % of the allocations of
 *   the worker (task filter) while it sends COUNT allowed and refused
 *   commands, opening new contexts now and then.  Errors must come back as
 *   errors, nothing refused may reach the device, the device must still
 *   answer afterwards, no context may be left in it, and kmemleak (the boot
 *   needs kmemleak=on) must find nothing new.  -a fails allocations while
 *   contexts are opened and closed, too: mlx5's close paths cannot report a
 *   failed DESTROY_UCTX, so the device then keeps contexts (not a path of
 *   the series; see README).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <fwctl/fwctl.h>
#include <rdma/rdma_user_ioctl_cmds.h>
#include <rdma/ib_user_ioctl_cmds.h>
#include <rdma/ib_user_ioctl_verbs.h>
#include <rdma/mlx5_user_ioctl_cmds.h>
#include <rdma/mlx5_user_ioctl_verbs.h>
#include <rdma/mlx5-abi.h>

#include "audit.h"
#include "fwstress-ops.h"	/* every MLX5_CMD_OP_* of mlx5_ifc.h, generated */

#define FWCTL_DEV	"/dev/fwctl/fwctl0"
#define UVERBS_DEV	"/dev/infiniband/uverbs0"
#define FW_LOG		"/fw/emu.log"
#define FW_STATE	"/fw/emu.state"
#define POLICY_A	"/fwlsm/policy/test.policy"
#define POLICY_B	"/fwlsm/policy/stress-b.policy"
#define DEV_LABEL	"system_u:object_r:fw_dev_t"
#define RPC_MAX		(2u << 20)	/* fwctl's MAX_RPC_LEN */

/* ------------------------------------------------------------------ */
/* TAP                                                                  */

static int tap_n, tap_failed;

static void __attribute__((format(printf, 2, 3))) tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap_failed++;
}

static void __attribute__((format(printf, 1, 2))) diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void __attribute__((noreturn, format(printf, 1, 2))) bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(1);
}

/* ------------------------------------------------------------------ */
/* small helpers                                                        */

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64*: reproducible from the seed, cheap */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint32_t rng_below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(rng_next(s) >> 32) % n : 0;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -errno : 0;
}

static char *read_all(const char *path, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static int load_policy(const char *data, size_t len)
{
	int fd = open("/sys/fs/selinux/load", O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	close(fd);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static long fw_state(const char *name)
{
	char *s = read_all(FW_STATE, NULL), *p;
	size_t len = strlen(name);
	long v = -1;

	for (p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, name, len) && p[len] == '=')
			v = strtol(p + len + 1, NULL, 10);
	free(s);
	return v;
}

static long fw_log_size(void)
{
	struct stat st;

	return stat(FW_LOG, &st) ? -1 : st.st_size;
}

/*
 * The commands the device executed for a user context (uid != 0) since
 * log offset @from: per opcode, split by tunnel (0: direct).
 */
struct fwlog {
	uint32_t direct[65536];
	uint32_t tunnel[65536];
	uint32_t total;
	uint32_t marked;	/* op_mod >= 0xf000: the fuzz run's refused mailboxes */
};

static int fw_log_read(long from, struct fwlog *l)
{
	char *s = read_all(FW_LOG, NULL), *p, *t;
	unsigned int op, op_mod, uid;

	memset(l, 0, sizeof(*l));
	if (!s)
		return -1;
	if (from > (long)strlen(s))
		from = 0;
	for (p = s + from; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		if (sscanf(p, "cmd opcode=0x%x op_mod=0x%x uid=%u", &op, &op_mod, &uid) != 3 ||
		    !uid || op > 0xffff)
			continue;
		if (op_mod >= 0xf000)
			l->marked++;
		t = strstr(p, " tunnel=");
		if (t && t < strchrnul(p, '\n') && strtoul(t + 8, NULL, 10))
			l->tunnel[op]++;
		else
			l->direct[op]++;
		l->total++;
	}
	free(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* the two interfaces                                                   */

enum { IF_FWCTL, IF_DEVX, NR_IF };
static const char *const if_name[NR_IF] = { "fwctl", "devx" };

static int fwctl_open(void)
{
	return open(FWCTL_DEV, O_RDWR | O_CLOEXEC);
}

/* 0 when the device ran the command (whatever its status), or -errno */
static int fwctl_send(int fd, uint32_t scope, const void *in, uint32_t in_len,
		      void *out, uint32_t out_len)
{
	struct fwctl_rpc rpc = {
		.size = sizeof(rpc),
		.scope = scope,
		.in_len = in_len,
		.out_len = out_len,
		.in = (uintptr_t)in,
		.out = (uintptr_t)out,
	};

	return ioctl(fd, FWCTL_RPC, &rpc) ? -errno : 0;
}

struct req {
	struct ib_uverbs_ioctl_hdr hdr;
	struct ib_uverbs_attr attrs[4];
};

static struct ib_uverbs_attr *req_attr(struct req *r, uint16_t id, uint16_t len, uint64_t data)
{
	struct ib_uverbs_attr *a = &r->attrs[r->hdr.num_attrs++];

	a->attr_id = id;
	a->flags = UVERBS_ATTR_F_MANDATORY;
	a->len = len;
	a->data = data;
	return a;
}

static int req_run(int fd, struct req *r, uint16_t object, uint16_t method)
{
	r->hdr.object_id = object;
	r->hdr.method_id = method;
	r->hdr.driver_id = RDMA_DRIVER_MLX5;
	r->hdr.length = sizeof(r->hdr) + r->hdr.num_attrs * sizeof(r->attrs[0]);
	return ioctl(fd, RDMA_VERBS_IOCTL, &r->hdr) ? -errno : 0;
}

/* A uverbs file with a DEVX user context, or -errno. */
static int devx_open(void)
{
	struct mlx5_ib_alloc_ucontext_req_v2 ureq = {
		.total_num_bfregs = 1,
		.flags = MLX5_IB_ALLOC_UCTX_DEVX,
		.max_cqe_version = 1,
		.lib_caps = MLX5_LIB_CAP_4K_UAR,
	};
	struct mlx5_ib_alloc_ucontext_resp uresp = { 0 };
	struct req r = { 0 };
	uint32_t ncomp;
	int fd, err;

	fd = open(UVERBS_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	req_attr(&r, UVERBS_ATTR_GET_CONTEXT_NUM_COMP_VECTORS, sizeof(ncomp),
		 (uintptr_t)&ncomp)->flags = 0;
	req_attr(&r, UVERBS_ATTR_UHW_IN, sizeof(ureq), (uintptr_t)&ureq);
	req_attr(&r, UVERBS_ATTR_UHW_OUT, sizeof(uresp), (uintptr_t)&uresp);
	err = req_run(fd, &r, UVERBS_OBJECT_DEVICE, UVERBS_METHOD_GET_CONTEXT);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/*
 * DEVX_OTHER: 0 when the device ran the command (-EREMOTEIO is a firmware
 * status other than 0: it ran too), or -errno.
 */
static int devx_send(int fd, const void *in, uint16_t in_len, void *out, uint16_t out_len)
{
	struct req r = { 0 };
	struct ib_uverbs_attr *a;
	int err;

	a = req_attr(&r, MLX5_IB_ATTR_DEVX_OTHER_CMD_IN, in_len, (uintptr_t)in);
	if (in_len <= sizeof(a->data)) {
		a->data = 0;
		memcpy(&a->data, in, in_len);
	}
	req_attr(&r, MLX5_IB_ATTR_DEVX_OTHER_CMD_OUT, out_len, (uintptr_t)out);
	err = req_run(fd, &r, MLX5_IB_OBJECT_DEVX, MLX5_IB_METHOD_DEVX_OTHER);
	return err == -EREMOTEIO ? 0 : err;
}

/* ------------------------------------------------------------------ */
/* set-up shared by every run                                           */

static const char *self_exe;

static void setup(const char *policy_note)
{
	char *pol;
	size_t len;
	int err;

	pol = read_all(POLICY_A, &len);
	if (!pol)
		bail("cannot read %s", POLICY_A);
	err = load_policy(pol, len);
	free(pol);
	if (err)
		bail("loading %s: %s", POLICY_A, strerror(-err));
	if (setxattr(FWCTL_DEV, "security.selinux", DEV_LABEL, sizeof(DEV_LABEL), 0) ||
	    setxattr(UVERBS_DEV, "security.selinux", DEV_LABEL, sizeof(DEV_LABEL), 0))
		bail("labeling the device nodes %s: %s", DEV_LABEL, strerror(errno));
	if (write_str("/sys/fs/selinux/enforce", "1"))
		bail("cannot enforce");
	if (fw_log_size() < 0 || fw_state("uctx_live") < 0)
		bail("no device log or state in /fw");
	diag("policy %s, enforcing, %s", POLICY_A, policy_note);
}

/*
 * Run "fwstress WORKER ARGS" in @domain with @in_fd (if >= 0) as its stdin;
 * its stdout comes back on *@rfd.
 */
static pid_t spawn(const char *domain, char *const argv[], int in_fd, int *rfd)
{
	char ctx[128];
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		bail("pipe: %s", strerror(errno));
	snprintf(ctx, sizeof(ctx), "system_u:system_r:%s", domain);
	pid = fork();
	if (pid < 0)
		bail("fork: %s", strerror(errno));
	if (!pid) {
		if (in_fd >= 0)
			dup2(in_fd, 0);
		dup2(p[1], 1);
		if (write_str("/proc/self/attr/exec", ctx)) {
			fprintf(stderr, "fwstress: cannot set the exec context %s\n", ctx);
			_exit(126);
		}
		execv(self_exe, argv);
		_exit(127);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static int reap(pid_t pid, const char *what)
{
	int st;

	if (waitpid(pid, &st, 0) < 0) {
		diag("%s: waitpid: %s", what, strerror(errno));
		return -1;
	}
	if (WIFEXITED(st) && !WEXITSTATUS(st))
		return 0;
	if (WIFSIGNALED(st))
		diag("%s: killed by signal %d", what, WTERMSIG(st));
	else
		diag("%s: exit status %d", what, WEXITSTATUS(st));
	return -1;
}

/* Wait until the device holds no more user contexts than @uctx (10 s). */
static bool settled(long uctx, long obj)
{
	int i;

	if (uctx < 0 || obj < 0)
		return false;
	for (i = 0; i < 100; i++) {
		long u = fw_state("uctx_live"), o = fw_state("obj_live");

		if (u >= 0 && o >= 0 && u <= uctx && o <= obj)
			return true;
		usleep(100000);
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* AVC records, read by a thread of the parent while the child runs     */

struct avc_count {
	int fd;
	const char *scontext;	/* "scontext=...:fw_stress_t" */
	atomic_bool stop;
	pthread_t thread;
	uint32_t denied[NR_IF][65536];	/* per tclass interface and ioctlcmd */
	uint32_t other;			/* records of the domain that name no ioctlcmd */
	uint32_t lost_before, lost_after;
};

static void *avc_reader(void *arg)
{
	struct avc_count *a = arg;
	struct audit_msg msg;
	ssize_t len;

	audit_set_timeout(a->fd, 200);
	for (;;) {
		char *p;
		size_t body;
		unsigned long cmd;
		int iface;

		len = recv(a->fd, &msg, sizeof(msg) - 1, 0);
		if (len < 0) {
			if (atomic_load(&a->stop))
				break;
			continue;
		}
		if (msg.hdr.nlmsg_type != AUDIT_AVC)
			continue;
		body = len - NLMSG_HDRLEN;
		msg.data[body < sizeof(msg.data) ? body : sizeof(msg.data) - 1] = '\0';
		if (!strstr(msg.data, a->scontext) || !strstr(msg.data, "denied"))
			continue;
		p = strstr(msg.data, "ioctlcmd=0x");
		if (strstr(msg.data, "tclass=mlx5_fwctl_cmd "))
			iface = IF_FWCTL;
		else if (strstr(msg.data, "tclass=mlx5_devx_cmd "))
			iface = IF_DEVX;
		else
			iface = -1;
		if (!p || iface < 0) {
			a->other++;
			continue;
		}
		cmd = strtoul(p + 11, NULL, 16);
		a->denied[iface][cmd & 0xffff]++;
	}
	return NULL;
}

static struct avc_count *avc_start(const char *domain)
{
	static char sctx[128];
	struct avc_count *a = calloc(1, sizeof(*a));
	struct audit_status st = {
		.mask = AUDIT_STATUS_BACKLOG_LIMIT | AUDIT_STATUS_BACKLOG_WAIT_TIME,
		.backlog_limit = 1 << 20,
		.backlog_wait_time = 60000,
	};
	int err;

	if (!a)
		bail("out of memory");
	snprintf(sctx, sizeof(sctx), "scontext=system_u:system_r:%s ", domain);
	a->scontext = sctx;
	a->fd = audit_open();
	if (a->fd < 0)
		bail("cannot become the audit daemon: %s", strerror(-a->fd));
	err = audit_send(a->fd, AUDIT_SET, &st, sizeof(st));
	if (!err)
		err = audit_ack(a->fd);
	if (err)
		bail("cannot raise the audit backlog limit: %s", strerror(-err));
	audit_drain(a->fd);
	if (audit_get_status(a->fd, &st))
		bail("AUDIT_GET failed");
	a->lost_before = st.lost;
	if (pthread_create(&a->thread, NULL, avc_reader, a))
		bail("pthread_create failed");
	return a;
}

static void avc_stop(struct avc_count *a)
{
	struct audit_status st = { 0 };
	int fd;

	/* the records of the last commands are queued already; let them come */
	sleep(1);
	atomic_store(&a->stop, true);
	pthread_join(a->thread, NULL);
	fd = audit_socket();
	if (fd >= 0 && !audit_get_status(fd, &st))
		a->lost_after = st.lost;
	else
		a->lost_after = UINT32_MAX;
	if (fd >= 0)
		close(fd);
	audit_close(a->fd);
}

/* ------------------------------------------------------------------ */
/* results of a worker: "res IFACE OPCODE KIND COUNT" lines             */

enum { R_DELIVERED, R_EACCES, R_ENOMEM, R_OTHER, NR_R };
static const char *const r_name[NR_R] = { "delivered", "eacces", "enomem", "other" };

struct results {
	uint32_t n[NR_IF][65536][NR_R];
	uint64_t sent, violations, flips;
	int sanity[NR_IF];	/* faults: a command after the run, 0 or -errno */
	uint32_t errs[NR_IF][256];	/* fuzz: how often each errno came back */
};

static int classify(int ret)
{
	if (!ret)
		return R_DELIVERED;
	if (ret == -EACCES)
		return R_EACCES;
	if (ret == -ENOMEM)
		return R_ENOMEM;
	return R_OTHER;
}

static void results_print(const struct results *r)
{
	int i, op, k;

	for (i = 0; i < NR_IF; i++)
		for (op = 0; op < 65536; op++)
			for (k = 0; k < NR_R; k++)
				if (r->n[i][op][k])
					printf("res %s 0x%04x %s %u\n", if_name[i], op,
					       r_name[k], r->n[i][op][k]);
	for (i = 0; i < NR_IF; i++)
		for (k = 0; k < 256; k++)
			if (r->errs[i][k])
				printf("errno %s %d %u\n", if_name[i], k, r->errs[i][k]);
	printf("sent %llu violations %llu flips %llu\n", (unsigned long long)r->sent,
	       (unsigned long long)r->violations, (unsigned long long)r->flips);
	fflush(stdout);
}

/* Read a worker's report; lines that are not results are passed on. */
static void results_read(int fd, struct results *r)
{
	FILE *f = fdopen(fd, "r");
	char line[512], ifn[16], kind[16];
	unsigned long long a, b, c;
	unsigned int op, cnt;
	int i, k;

	memset(r, 0, sizeof(*r));
	r->sanity[IF_FWCTL] = r->sanity[IF_DEVX] = -ENODATA;
	if (!f)
		bail("fdopen failed");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "res %15s 0x%x %15s %u", ifn, &op, kind, &cnt) == 4 &&
		    op < 65536) {
			for (i = 0; i < NR_IF && strcmp(ifn, if_name[i]); i++)
				;
			for (k = 0; k < NR_R && strcmp(kind, r_name[k]); k++)
				;
			if (i < NR_IF && k < NR_R)
				r->n[i][op][k] += cnt;
			continue;
		}
		if (sscanf(line, "errno %15s %d %u", ifn, &k, &cnt) == 3 && k >= 0 && k < 256) {
			for (i = 0; i < NR_IF && strcmp(ifn, if_name[i]); i++)
				;
			if (i < NR_IF)
				r->errs[i][k] += cnt;
			continue;
		}
		if (sscanf(line, "sanity %15s %d", ifn, &k) == 2) {
			for (i = 0; i < NR_IF && strcmp(ifn, if_name[i]); i++)
				;
			if (i < NR_IF)
				r->sanity[i] = k;
			continue;
		}
		if (sscanf(line, "sent %llu violations %llu flips %llu", &a, &b, &c) == 3) {
			r->sent = a;
			r->violations = b;
			r->flips = c;
			continue;
		}
		fputs(line, stdout);
	}
	fclose(f);
	fflush(stdout);
}

static uint64_t res_sum(const struct results *r, int iface, int op, int kind)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < NR_IF; i++)
		if (iface < 0 || iface == i)
			n += r->n[i][op][kind];
	return n;
}

/* ------------------------------------------------------------------ */
/* probe: what the loaded policy says about one opcode now              */

/* The child: send @op through fwctl; exit 0 delivered, 1 refused, 2 other. */
static int probe_worker(uint16_t op)
{
	static uint8_t in[16], out[16 + 0x1000];
	int fd = fwctl_open(), ret;

	if (fd < 0)
		return 2;
	put16(in, op);
	ret = fwctl_send(fd, FWCTL_RPC_DEBUG_READ_ONLY, in, sizeof(in), out, sizeof(out));
	close(fd);
	return !ret ? 0 : ret == -EACCES ? 1 : 2;
}

static int probe(const char *domain, uint16_t op)
{
	char oparg[16];
	char *argv[] = { (char *)self_exe, "probe", oparg, NULL };
	int rfd, st;
	pid_t pid;

	snprintf(oparg, sizeof(oparg), "%u", op);
	pid = spawn(domain, argv, -1, &rfd);
	close(rfd);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Policy A is the one loaded: it allows 0x0101 and denies 0x010a. */
static bool policy_is_a(void)
{
	return probe("fw_stress_t", 0x0101) == 0 && probe("fw_stress_t", 0x010a) == 1;
}

/* ------------------------------------------------------------------ */
/* stress                                                               */

/*
 * The opcodes of the stress run and what the two policies say about them
 * (policy/test.conf, "stress-a" lines; build-policy.sh makes B).
 */
static const struct {
	uint16_t op, op_mod;
	bool a, b;
} stress_ops[] = {
	{ 0x0100, 0x0001, true, true },		/* QUERY_HCA_CAP: both allow */
	{ 0x0101, 0, true, false },		/* QUERY_ADAPTER: A only */
	{ 0x010a, 0, false, true },		/* QUERY_ISSI: B only */
	{ 0x0754, 0, false, false },		/* QUERY_NIC_VPORT_CONTEXT: neither */
};
#define NR_STRESS_OPS (sizeof(stress_ops) / sizeof(stress_ops[0]))

struct stress_thread {
	pthread_t t;
	unsigned int count;
	uint64_t seed;
	struct results *r;
	pthread_mutex_t *lock;
	int err;
};

static atomic_bool reloads_done;

static void *stress_thread(void *arg)
{
	struct stress_thread *st = arg;
	static uint8_t zero[16];
	uint8_t in[16], *out = malloc(16 + 0x1000);
	uint32_t n[NR_IF][NR_STRESS_OPS][NR_R] = { 0 };
	int fd[NR_IF], i, k, ret;
	unsigned int j;

	fd[IF_FWCTL] = fwctl_open();
	st->err = fd[IF_FWCTL] < 0 ? errno : 0;
	fd[IF_DEVX] = devx_open();
	if (!st->err && fd[IF_DEVX] < 0)
		st->err = -fd[IF_DEVX];
	if (!st->err && !out)
		st->err = ENOMEM;
	if (st->err) {
		if (fd[IF_FWCTL] >= 0)
			close(fd[IF_FWCTL]);
		if (fd[IF_DEVX] >= 0)
			close(fd[IF_DEVX]);
		free(out);
		return NULL;
	}
	for (j = 0; j < st->count || !atomic_load(&reloads_done); j++) {
		k = rng_below(&st->seed, NR_STRESS_OPS);
		i = j & 1;
		memcpy(in, zero, sizeof(in));
		put16(in, stress_ops[k].op);
		put16(in + 6, stress_ops[k].op_mod);
		if (i == IF_FWCTL)
			ret = fwctl_send(fd[i], FWCTL_RPC_DEBUG_READ_ONLY, in, sizeof(in),
					 out, 16 + 0x1000);
		else
			ret = devx_send(fd[i], in, sizeof(in), out, 16 + 0x1000);
		n[i][k][classify(ret)]++;
		if (j > 10u * st->count + 100000)
			break;	/* the parent stopped reloading: it reports that */
	}
	close(fd[IF_FWCTL]);
	close(fd[IF_DEVX]);
	free(out);
	pthread_mutex_lock(st->lock);
	for (i = 0; i < NR_IF; i++)
		for (j = 0; j < NR_STRESS_OPS; j++)
			for (k = 0; k < NR_R; k++)
				st->r->n[i][stress_ops[j].op][k] += n[i][j][k];
	for (i = 0; i < NR_IF; i++)
		for (j = 0; j < NR_STRESS_OPS; j++)
			for (k = 0; k < NR_R; k++)
				st->r->sent += n[i][j][k];
	pthread_mutex_unlock(st->lock);
	return NULL;
}

/* The child: THREADS COUNT SEED; stdin says when the reloads are done. */
static int stress_worker(unsigned int threads, unsigned int count, uint64_t seed)
{
	static struct results r;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct stress_thread *st = calloc(threads, sizeof(*st));
	unsigned int i;
	char c;
	int rc = 0;

	if (!st)
		return 1;
	for (i = 0; i < threads; i++) {
		st[i].count = count;
		st[i].seed = seed * 1000003 + i + 1;
		st[i].r = &r;
		st[i].lock = &lock;
		if (pthread_create(&st[i].t, NULL, stress_thread, &st[i]))
			return 1;
	}
	/* the parent writes one byte (or closes the pipe) after its reloads */
	if (read(0, &c, 1) < 0)
		rc = 1;
	atomic_store(&reloads_done, true);
	for (i = 0; i < threads; i++) {
		pthread_join(st[i].t, NULL);
		if (st[i].err) {
			fprintf(stdout, "# thread %u: opening the devices failed: %s\n", i,
				strerror(st[i].err));
			rc = 1;
		}
	}
	results_print(&r);
	return rc;
}

static int run_stress(unsigned int threads, unsigned int count, unsigned int reloads,
		      uint64_t seed)
{
	static struct fwlog log;
	static struct results r;
	char *pol[2], targ[16], carg[16], sarg[32];
	char *argv[] = { (char *)self_exe, "stress-worker", targ, carg, sarg, NULL };
	size_t plen[2];
	long off, uctx0, obj0;
	unsigned int done = 0, k;
	struct timespec t0, t1;
	struct avc_count *avc;
	int rfd, ctl[2], err = 0, i;
	bool ok;
	pid_t pid;

	printf("TAP version 13\n1..8\n");
	setup("stress: A is the test policy, B policy/stress-b (stress-a lines changed)");
	pol[0] = read_all(POLICY_A, &plen[0]);
	pol[1] = read_all(POLICY_B, &plen[1]);
	if (!pol[0] || !pol[1])
		bail("cannot read %s and %s", POLICY_A, POLICY_B);
	snprintf(targ, sizeof(targ), "%u", threads);
	snprintf(carg, sizeof(carg), "%u", count);
	snprintf(sarg, sizeof(sarg), "%llu", (unsigned long long)seed);
	uctx0 = fw_state("uctx_live");
	obj0 = fw_state("obj_live");
	off = fw_log_size();
	avc = avc_start("fw_stress_t");
	if (pipe2(ctl, O_CLOEXEC))
		bail("pipe: %s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = spawn("fw_stress_t", argv, ctl[0], &rfd);
	close(ctl[0]);
	/* load B and A in turn while the threads run, at least @reloads times */
	for (;;) {
		err = load_policy(pol[(done + 1) & 1], plen[(done + 1) & 1]);
		if (err)
			break;
		done++;
		if (done == reloads && write(ctl[1], "x", 1) != 1)
			break;
		if (done >= reloads) {
			siginfo_t si = { 0 };

			/* the worker has exited (left for reap() to collect) */
			if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) || si.si_pid)
				break;
		}
		if (done >= 100 * reloads)
			break;
	}
	close(ctl[1]);
	if (done & 1)
		err = err ? err : load_policy(pol[0], plen[0]);
	results_read(rfd, &r);
	ok = !reap(pid, "stress worker");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	avc_stop(avc);
	if (!ok || r.sent < (uint64_t)threads * count)
		diag("the worker %s, %llu commands of %u", ok ? "exited cleanly" : "failed",
		     (unsigned long long)r.sent, threads * count);
	tap(ok && !err && done >= reloads && r.sent >= (uint64_t)threads * count,
	    "stress: %u threads sent %llu commands (fwctl and DEVX) in %.1f s while the policy was loaded %u times%s%s",
	    threads, (unsigned long long)r.sent,
	    (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, done,
	    err ? ", policy load failed: " : "", err ? strerror(-err) : "");

	/* every outcome is one that A or B gives, and nothing else */
	ok = true;
	for (k = 0; k < NR_STRESS_OPS; k++) {
		uint16_t op = stress_ops[k].op;
		uint64_t del = res_sum(&r, -1, op, R_DELIVERED), acc = res_sum(&r, -1, op, R_EACCES);
		uint64_t oth = res_sum(&r, -1, op, R_OTHER) + res_sum(&r, -1, op, R_ENOMEM);

		diag("opcode 0x%04x (A %s, B %s): delivered %llu, refused %llu, other errors %llu",
		     op, stress_ops[k].a ? "allows" : "denies", stress_ops[k].b ? "allows" : "denies",
		     (unsigned long long)del, (unsigned long long)acc, (unsigned long long)oth);
		if (oth || (!stress_ops[k].a && !stress_ops[k].b && del) ||
		    (stress_ops[k].a && stress_ops[k].b && acc))
			ok = false;
	}
	tap(ok, "stress: every command was delivered or refused as policy A or B decides it");
	ok = true;
	for (i = 0; i < NR_IF; i++)
		for (k = 0; k < NR_STRESS_OPS; k++)
			if (stress_ops[k].a != stress_ops[k].b &&
			    (!r.n[i][stress_ops[k].op][R_DELIVERED] ||
			     !r.n[i][stress_ops[k].op][R_EACCES])) {
				diag("%s opcode 0x%04x: never %s", if_name[i], stress_ops[k].op,
				     r.n[i][stress_ops[k].op][R_DELIVERED] ? "refused" : "delivered");
				ok = false;
			}
	tap(ok, "stress: the opcodes the policies disagree on were both delivered and refused through each interface (the reloads raced the commands)");

	if (fw_log_read(off, &log))
		bail("cannot read %s", FW_LOG);
	ok = true;
	for (k = 0; k < NR_STRESS_OPS; k++) {
		uint16_t op = stress_ops[k].op;

		if (log.direct[op] != res_sum(&r, -1, op, R_DELIVERED)) {
			diag("opcode 0x%04x: the device ran %u, the kernel delivered %llu", op,
			     log.direct[op], (unsigned long long)res_sum(&r, -1, op, R_DELIVERED));
			ok = false;
		}
	}
	/* the kernel's own commands for the contexts: ALLOC_UAR, transport domains */
	for (i = 0; i < 65536; i++) {
		for (k = 0; k < NR_STRESS_OPS && stress_ops[k].op != i; k++)
			;
		if (k == NR_STRESS_OPS && (log.direct[i] || log.tunnel[i]))
			diag("the device also ran opcode 0x%04x %u times for the contexts",
			     i, log.direct[i] + log.tunnel[i]);
	}
	tap(ok, "stress: the device ran exactly the delivered commands, none of the refused ones");

	ok = true;
	for (i = 0; i < NR_IF; i++)
		for (k = 0; k < NR_STRESS_OPS; k++) {
			uint16_t op = stress_ops[k].op;

			if (avc->denied[i][op] != r.n[i][op][R_EACCES]) {
				diag("%s opcode 0x%04x: %u AVC denials, %u refusals", if_name[i], op,
				     avc->denied[i][op], r.n[i][op][R_EACCES]);
				ok = false;
			}
		}
	tap(ok && !avc->other, "stress: one AVC denial per refused command, naming its opcode and class (%u other records)",
	    avc->other);
	tap(avc->lost_after == avc->lost_before, "stress: the kernel lost no audit record (lost %u -> %u)",
	    avc->lost_before, avc->lost_after);
	tap(settled(uctx0, obj0), "stress: the device holds no context or object of the run (uctx_live %ld, obj_live %ld)",
	    fw_state("uctx_live"), fw_state("obj_live"));
	tap(policy_is_a(), "stress: policy A is loaded again");
	free(pol[0]);
	free(pol[1]);
	return tap_failed ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* fuzz                                                                 */

/* What fw_fuzz_t may do (policy/test.conf): read scopes, 0x01xx, untunnelled. */
static bool fuzz_allowed(int iface, uint32_t scope, int op, uint16_t tunnel)
{
	if (op < 0x0100 || op > 0x01ff || tunnel)
		return false;
	return iface == IF_DEVX || scope == FWCTL_RPC_CONFIGURATION ||
	       scope == FWCTL_RPC_DEBUG_READ_ONLY;
}

static uint32_t fuzz_len(uint64_t *s, uint32_t max)
{
	uint32_t r = rng_below(s, 1000), n;

	if (r < 300)
		n = 16;
	else if (r < 500)
		n = rng_below(s, 16);
	else if (r < 800)
		n = 17 + rng_below(s, 240);
	else if (r < 900)
		n = 257 + rng_below(s, 4096 - 256);
	else if (r < 980)
		n = 4097 + rng_below(s, 65536 - 4096);
	else if (r < 995)
		n = 65537 + rng_below(s, RPC_MAX - 65536);
	else
		n = RPC_MAX + 1 + rng_below(s, 4096);	/* past the limit */
	return n > max ? max : n;
}

static int fuzz_worker(unsigned int count, uint64_t seed)
{
	static struct results r;
	size_t cap = RPC_MAX + 4096 + 1;
	uint8_t *in = malloc(cap), *out = malloc(cap);
	uint64_t s = seed ? seed : 1;
	int fd[NR_IF];
	unsigned int i, j;

	fd[IF_FWCTL] = fwctl_open();
	fd[IF_DEVX] = devx_open();
	if (!in || !out || fd[IF_FWCTL] < 0 || fd[IF_DEVX] < 0) {
		printf("# fuzz: cannot open the devices\n");
		return 1;
	}
	for (j = 0; j < cap; j++)
		in[j] = rng_next(&s);
	for (i = 0; i < count; i++) {
		int iface = rng_below(&s, 2), op, ret, kind;
		uint32_t scope, in_len, out_len, pick = rng_below(&s, 100);
		uint16_t tunnel = 0;

		if (pick < 20)
			op = (const uint16_t[]){ 0x0100, 0x0101, 0x010a }[rng_below(&s, 3)];
		else if (pick < 35)
			op = 0x0100 + rng_below(&s, 0x100);
		else if (pick < 75)
			op = mlx5_ops[rng_below(&s, NR_MLX5_OPS)];
		else
			op = rng_below(&s, 0x10000);
		pick = rng_below(&s, 100);
		scope = pick < 60 ? FWCTL_RPC_DEBUG_READ_ONLY : pick < 75 ? FWCTL_RPC_CONFIGURATION :
			pick < 85 ? FWCTL_RPC_DEBUG_WRITE : pick < 95 ? FWCTL_RPC_DEBUG_WRITE_FULL :
			(uint32_t)rng_next(&s);
		if (rng_below(&s, 100) < 15)
			tunnel = 1 + rng_below(&s, 0xffff);
		in_len = fuzz_len(&s, iface == IF_DEVX ? 0xffff : cap);
		out_len = fuzz_len(&s, iface == IF_DEVX ? 0xffff : cap);
		/* a fresh random head, then the header fields */
		for (j = 0; j < in_len && j < 512; j++)
			in[j] = rng_next(&s);
		put16(in, op);
		if (rng_below(&s, 2))
			put16(in + 6, 0);
		if (rng_below(&s, 4))
			put16(in + 2, 0);
		put16(in + 4, tunnel);
		/*
		 * The op_mod of every mailbox the policy refuses carries the
		 * marker 0xf000 (no allowed one does), so that the device's log
		 * shows any of them that reached it, whatever the kernel returned.
		 */
		if (in_len >= 8) {
			uint16_t m = (in[6] << 8 | in[7]) & 0x0fff;

			put16(in + 6, fuzz_allowed(iface, scope, op, tunnel) ? m : 0xf000 | m);
		}
		if (iface == IF_FWCTL)
			ret = fwctl_send(fd[iface], scope, in, in_len, out, out_len);
		else
			ret = devx_send(fd[iface], in, in_len, out, out_len);
		kind = classify(ret);
		r.n[iface][op][kind]++;
		if (ret < 0 && -ret < 256)
			r.errs[iface][-ret]++;
		r.sent++;
		if (kind == R_DELIVERED &&
		    !fuzz_allowed(iface, scope, in_len >= 2 ? op : -1, in_len >= 6 ? tunnel : 0)) {
			r.violations++;
			printf("# violation: seed %llu command %u: %s opcode 0x%04x tunnel %u scope %u in_len %u out_len %u was delivered\n",
			       (unsigned long long)seed, i, if_name[iface], op, tunnel, scope,
			       in_len, out_len);
		}
	}
	close(fd[IF_FWCTL]);
	close(fd[IF_DEVX]);
	results_print(&r);
	return 0;
}

static int run_fuzz(unsigned int count, uint64_t seed)
{
	static struct fwlog log, base;
	static struct results r;
	char carg[16], sarg[32];
	char *argv[] = { (char *)self_exe, "fuzz-worker", carg, sarg, NULL };
	uint64_t del = 0, acc = 0, oth = 0, nomem = 0, reached_bad = 0, short_log = 0;
	long off, uctx0, obj0;
	struct timespec t0, t1;
	int rfd, i, op;
	bool ok;
	pid_t pid;

	printf("TAP version 13\n1..5\n");
	setup("fuzz: fw_fuzz_t may send 0x0100-0x01ff at the read scopes, untunnelled");
	snprintf(carg, sizeof(carg), "%u", count);
	snprintf(sarg, sizeof(sarg), "%llu", (unsigned long long)seed);
	diag("replay: fwstress fuzz -n %u -s %llu", count, (unsigned long long)seed);
	uctx0 = fw_state("uctx_live");
	obj0 = fw_state("obj_live");
	/*
	 * What the kernel itself sends for the worker's two contexts (ALLOC_UAR,
	 * transport domains...): a worker that sends nothing shows it.
	 */
	off = fw_log_size();
	snprintf(carg, sizeof(carg), "0");
	pid = spawn("fw_fuzz_t", argv, -1, &rfd);
	results_read(rfd, &r);
	if (reap(pid, "fuzz worker (no commands)") || !settled(uctx0, obj0) ||
	    fw_log_read(off, &base))
		bail("the worker that sends nothing failed");
	snprintf(carg, sizeof(carg), "%u", count);
	off = fw_log_size();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = spawn("fw_fuzz_t", argv, -1, &rfd);
	results_read(rfd, &r);
	ok = !reap(pid, "fuzz worker");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < NR_IF; i++)
		for (op = 0; op < 65536; op++) {
			del += r.n[i][op][R_DELIVERED];
			acc += r.n[i][op][R_EACCES];
			nomem += r.n[i][op][R_ENOMEM];
			oth += r.n[i][op][R_OTHER];
		}
	tap(ok && r.sent == count, "fuzz: %llu random mailboxes through fwctl and DEVX in %.1f s: %llu delivered, %llu refused by the LSM, %llu other errors, %llu ENOMEM",
	    (unsigned long long)r.sent, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	    (unsigned long long)del, (unsigned long long)acc, (unsigned long long)oth,
	    (unsigned long long)nomem);
	for (i = 0; i < NR_IF; i++)
		for (op = 0; op < 256; op++)
			if (r.errs[i][op])
				diag("%s: %u x %s", if_name[i], r.errs[i][op], strerror(op));
	tap(ok && !r.violations, "fuzz: the kernel delivered no command the policy denies (%llu)",
	    (unsigned long long)r.violations);
	if (fw_log_read(off, &log))
		bail("cannot read %s", FW_LOG);
	for (op = 0; op < 65536; op++) {
		uint64_t sent = 0, d = res_sum(&r, -1, op, R_DELIVERED);
		int k;

		for (k = 0; k < NR_R; k++)
			sent += res_sum(&r, -1, op, k);
		if (log.tunnel[op] != base.tunnel[op] ||
		    ((op < 0x0100 || op > 0x01ff) && log.direct[op] != base.direct[op])) {
			diag("the device ran opcode 0x%04x %u times (%u tunnelled); setting up and closing the contexts takes %u",
			     op, log.direct[op] + log.tunnel[op], log.tunnel[op],
			     base.direct[op] + base.tunnel[op]);
			reached_bad++;
		}
		/* refused commands must not be among those the device ran */
		sent -= res_sum(&r, -1, op, R_EACCES);
		if (log.direct[op] < base.direct[op] || log.direct[op] - base.direct[op] < d ||
		    log.direct[op] - base.direct[op] > sent) {
			diag("opcode 0x%04x: delivered %llu, sent and not refused %llu, the device ran %u", op,
			     (unsigned long long)d, (unsigned long long)sent, log.direct[op]);
			short_log++;
		}
	}
	tap(ok && !reached_bad && !log.marked,
	    "fuzz: the device ran no command of the worker outside 0x0100-0x01ff, none tunnelled, none marked refused (it ran %u, %u of them the kernel's own for the contexts; %u marked)",
	    log.total, base.total, log.marked);
	tap(ok && !short_log, "fuzz: every delivered command is in the device's log, and no refused one");
	tap(settled(uctx0, obj0), "fuzz: the device holds no context or object of the run (uctx_live %ld, obj_live %ld)",
	    fw_state("uctx_live"), fw_state("obj_live"));
	return tap_failed ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* toctou                                                               */

struct flipper {
	volatile uint8_t *byte;
	unsigned int hold;	/* iterations each value stays */
	atomic_bool stop;
	uint64_t flips;
};

static void *flip(void *arg)
{
	struct flipper *f = arg;

	unsigned int k;

	/*
	 * Each value is held for a while: two stores in a row would leave the
	 * second one in place whenever the other CPU looks (TCG switches at
	 * block boundaries), and the kernel would never see the first.
	 */
	while (!atomic_load_explicit(&f->stop, memory_order_relaxed)) {
		*f->byte = 0x01;	/* 0x0101 QUERY_ADAPTER: refused */
		for (k = 0; k < f->hold; k++)
			__asm__ volatile("" ::: "memory");
		*f->byte = 0x00;	/* 0x0100 QUERY_HCA_CAP: allowed */
		for (k = 0; k < f->hold; k++)
			__asm__ volatile("" ::: "memory");
		f->flips++;
	}
	return NULL;
}

static int toctou_worker(unsigned int count)
{
	static struct results r;
	static uint8_t in[16] __attribute__((aligned(64))), out[16 + 0x1000];
	struct flipper f = { .byte = &in[1], .hold = 2000 };
	pthread_t t;
	unsigned int i;
	int iface, fd, ret;

	for (iface = 0; iface < NR_IF; iface++) {
		fd = iface == IF_FWCTL ? fwctl_open() : devx_open();
		if (fd < 0) {
			printf("# toctou: cannot open %s\n", if_name[iface]);
			return 1;
		}
		memset(in, 0, sizeof(in));
		put16(in, 0x0100);
		put16(in + 6, 0x0001);
		atomic_store(&f.stop, false);
		if (pthread_create(&t, NULL, flip, &f))
			return 1;
		for (i = 0; i < count; i++) {
			if (iface == IF_FWCTL)
				ret = fwctl_send(fd, FWCTL_RPC_DEBUG_READ_ONLY, in, sizeof(in),
						 out, sizeof(out));
			else
				ret = devx_send(fd, in, sizeof(in), out, sizeof(out));
			r.n[iface][0][classify(ret)]++;
			r.sent++;
		}
		atomic_store(&f.stop, true);
		pthread_join(t, NULL);
		close(fd);
	}
	r.flips = f.flips;
	results_print(&r);
	return 0;
}

static int run_toctou(unsigned int count)
{
	static struct fwlog log;
	static struct results r;
	char carg[16];
	char *argv[] = { (char *)self_exe, "toctou-worker", carg, NULL };
	struct avc_count *avc;
	long off, uctx0, obj0;
	int rfd, i;
	bool ok, wok;
	pid_t pid;

	printf("TAP version 13\n1..6\n");
	setup("toctou: fw_toctou_t may send 0x0100 only");
	snprintf(carg, sizeof(carg), "%u", count);
	uctx0 = fw_state("uctx_live");
	obj0 = fw_state("obj_live");
	off = fw_log_size();
	avc = avc_start("fw_toctou_t");
	pid = spawn("fw_toctou_t", argv, -1, &rfd);
	results_read(rfd, &r);
	wok = !reap(pid, "toctou worker") && r.sent == 2ull * count;
	avc_stop(avc);
	for (i = 0; i < NR_IF; i++)
		diag("%s: %u delivered, %u refused, %u other errors", if_name[i],
		     r.n[i][0][R_DELIVERED], r.n[i][0][R_EACCES],
		     r.n[i][0][R_OTHER] + r.n[i][0][R_ENOMEM]);
	tap(wok, "toctou: %llu commands sent while another thread flipped the opcode %llu times",
	    (unsigned long long)r.sent, (unsigned long long)r.flips);
	ok = true;
	for (i = 0; i < NR_IF; i++)
		if (!r.n[i][0][R_DELIVERED] || !r.n[i][0][R_EACCES] ||
		    r.n[i][0][R_OTHER] || r.n[i][0][R_ENOMEM])
			ok = false;
	tap(ok, "toctou: through both interfaces some commands were delivered, some refused, nothing else");
	if (fw_log_read(off, &log))
		bail("cannot read %s", FW_LOG);
	tap(wok && !log.direct[0x0101] && !log.tunnel[0x0101],
	    "toctou: the device never ran the refused opcode 0x0101 (%u)", log.direct[0x0101]);
	tap(log.direct[0x0100] == res_sum(&r, -1, 0, R_DELIVERED) && !log.tunnel[0x0100],
	    "toctou: the device ran 0x0100 exactly as often as a command was delivered (%u, %llu)",
	    log.direct[0x0100], (unsigned long long)res_sum(&r, -1, 0, R_DELIVERED));
	ok = avc->lost_after == avc->lost_before && !avc->other;
	for (i = 0; i < NR_IF; i++) {
		diag("%s: %u AVC denials naming 0x101, %u naming 0x100", if_name[i],
		     avc->denied[i][0x0101], avc->denied[i][0x0100]);
		if (avc->denied[i][0x0101] != r.n[i][0][R_EACCES] || avc->denied[i][0x0100])
			ok = false;
	}
	tap(ok, "toctou: every refusal has one AVC denial naming 0x101, none names 0x100 (audit lost %u -> %u)",
	    avc->lost_before, avc->lost_after);
	tap(settled(uctx0, obj0), "toctou: the device holds no context or object of the run");
	return tap_failed ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* faults                                                               */

#define DEBUGFS		"/sys/kernel/debug"
#define KMEMLEAK	DEBUGFS "/kmemleak"
#define FAULT_TIMES	1000000000

static const char *const fault_attrs[] = { "failslab", "fail_page_alloc" };

static int fault_set(const char *attr, const char *file, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", attr, file);
	return write_str(path, val);
}

static long fault_get(const char *attr, const char *file)
{
	char path[128], *s;
	long v;

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", attr, file);
	s = read_all(path, NULL);
	if (!s)
		return -1;
	v = strtol(s, NULL, 10);
	free(s);
	return v;
}

/*
 * Allocations fail only while a command is sent (@all: also while contexts
 * are set up and closed).  The switch is a file kept open: writing to it
 * allocates nothing.
 */
static int fail_fd = -1;

static void fail_on(bool on)
{
	int i;

	/* switching off must not be lost to a failure it injected */
	for (i = 0; i < 1000; i++)
		if (pwrite(fail_fd, on ? "1" : "0", 1, 0) == 1)
			return;
}

static int faults_worker(unsigned int count, uint64_t seed, bool all)
{
	static struct results r;
	static uint8_t in[16], out[16 + 0x1000];
	uint64_t s = seed ? seed : 1;
	unsigned int i, open_fail = 0, shown = 0;
	int fd[NR_IF] = { -1, -1 }, iface, k, ret;

	fail_fd = open("/proc/self/make-it-fail", O_WRONLY | O_CLOEXEC);
	if (fail_fd < 0) {
		printf("# faults: cannot open /proc/self/make-it-fail\n");
		return 1;
	}
	fail_on(all);
	for (i = 0; i < count; i++) {
		iface = rng_below(&s, 2);
		/* new contexts now and then: their set-up fails too */
		if (fd[iface] >= 0 && !rng_below(&s, 50)) {
			close(fd[iface]);
			fd[iface] = -1;
		}
		if (fd[iface] < 0) {
			fd[iface] = iface == IF_FWCTL ? fwctl_open() : devx_open();
			if (fd[iface] < 0) {
				fd[iface] = -1;
				open_fail++;
				continue;
			}
		}
		k = rng_below(&s, NR_STRESS_OPS);
		memset(in, 0, sizeof(in));
		put16(in, stress_ops[k].op);
		put16(in + 6, stress_ops[k].op_mod);
		fail_on(true);
		if (iface == IF_FWCTL)
			ret = fwctl_send(fd[iface], FWCTL_RPC_DEBUG_READ_ONLY, in, sizeof(in),
					 out, sizeof(out));
		else
			ret = devx_send(fd[iface], in, sizeof(in), out, sizeof(out));
		fail_on(all);
		r.n[iface][stress_ops[k].op][classify(ret)]++;
		r.sent++;
		if (!ret && !stress_ops[k].a) {
			r.violations++;
			printf("# violation: command %u: %s opcode 0x%04x delivered\n", i,
			       if_name[iface], stress_ops[k].op);
		}
		if (ret && ret != -EACCES && ret != -ENOMEM && shown++ < 5)
			printf("# %s opcode 0x%04x: %s\n", if_name[iface], stress_ops[k].op,
			       strerror(-ret));
	}
	for (iface = 0; iface < NR_IF; iface++)
		if (fd[iface] >= 0)
			close(fd[iface]);
	fail_on(false);
	printf("# faults: %u context set-ups failed\n", open_fail);
	/* the device still answers, through both interfaces */
	for (iface = 0; iface < NR_IF; iface++) {
		int f = iface == IF_FWCTL ? fwctl_open() : devx_open();

		if (iface == IF_FWCTL && f < 0)
			f = -errno;

		memset(in, 0, sizeof(in));
		put16(in, 0x0100);
		put16(in + 6, 0x0001);
		ret = f < 0 ? f : iface == IF_FWCTL ?
			fwctl_send(f, FWCTL_RPC_DEBUG_READ_ONLY, in, sizeof(in), out, sizeof(out)) :
			devx_send(f, in, sizeof(in), out, sizeof(out));
		printf("sanity %s %d\n", if_name[iface], ret);
		if (f >= 0)
			close(f);
	}
	results_print(&r);
	return 0;
}

/* kmemleak's report: the number of leaks, the first few lines in @head */
static int kmemleak_scan(char *head, size_t size)
{
	char *s, *p;
	int n = 0;

	if (write_str(KMEMLEAK, "scan"))
		return -1;
	sleep(1);
	if (write_str(KMEMLEAK, "scan"))
		return -1;
	s = read_all(KMEMLEAK, NULL);
	if (!s)
		return -1;
	for (p = s; (p = strstr(p, "unreferenced object")); p++)
		n++;
	snprintf(head, size, "%.*s", (int)(size - 1), s);
	free(s);
	return n;
}

static int run_faults(unsigned int count, uint64_t seed, unsigned int percent, bool all)
{
	static struct fwlog log;
	static struct results r;
	char carg[16], sarg[32], pct[16], head[2048], line[64];
	char *argv[] = { (char *)self_exe, "faults-worker", carg, sarg, (char *)(all ? "1" : "0"),
			 NULL };
	long off, uctx0, obj0, injected[2];
	uint64_t closed = 0, enomem = 0, other = 0;
	unsigned int reloads = 0, k;
	size_t plen;
	char *pol;
	int rfd, i, leaks, a;
	bool ok;
	pid_t pid;

	printf("TAP version 13\n1..7\n");
	setup(all ? "faults: the worker runs in fw_stress_t under policy A, failing while it sends, opens and closes" :
		    "faults: the worker runs in fw_stress_t under policy A, failing while it sends");
	if (access(DEBUGFS "/failslab", F_OK) &&
	    mount("debugfs", DEBUGFS, "debugfs", 0, NULL))
		bail("cannot mount debugfs: %s", strerror(errno));
	if (access(KMEMLEAK, F_OK))
		bail("no %s: the boot needs kmemleak=on", KMEMLEAK);
	if (write_str(KMEMLEAK, "scan=off") || write_str(KMEMLEAK, "scan") ||
	    write_str(KMEMLEAK, "clear"))
		bail("kmemleak is not active (boot with kmemleak=on)");
	snprintf(pct, sizeof(pct), "%u", percent);
	for (a = 0; a < 2; a++) {
		snprintf(line, sizeof(line), "%d", FAULT_TIMES);
		if (fault_set(fault_attrs[a], "task-filter", "Y") ||
		    fault_set(fault_attrs[a], "verbose", "0") ||
		    fault_set(fault_attrs[a], "interval", "1") ||
		    fault_set(fault_attrs[a], "ignore-gfp-wait", "N") ||
		    fault_set(fault_attrs[a], "times", line) ||
		    fault_set(fault_attrs[a], "probability", pct))
			bail("cannot configure %s", fault_attrs[a]);
	}
	if (fault_set("fail_page_alloc", "ignore-gfp-highmem", "N") ||
	    fault_set("fail_page_alloc", "min-order", "0"))
		bail("cannot configure fail_page_alloc");
	snprintf(carg, sizeof(carg), "%u", count);
	snprintf(sarg, sizeof(sarg), "%llu", (unsigned long long)seed);
	uctx0 = fw_state("uctx_live");
	obj0 = fw_state("obj_live");
	off = fw_log_size();
	pid = spawn("fw_stress_t", argv, -1, &rfd);
	/*
	 * Reload the policy while the worker runs, so that the AVC has to
	 * compute decisions (and allocate nodes) under the failures too.
	 */
	pol = read_all(POLICY_A, &plen);
	if (!pol)
		bail("cannot read %s", POLICY_A);
	for (;;) {
		siginfo_t si = { 0 };

		if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) || si.si_pid)
			break;
		if (load_policy(pol, plen))
			break;
		reloads++;
		usleep(200000);
	}
	free(pol);
	results_read(rfd, &r);
	ok = !reap(pid, "faults worker");
	for (a = 0; a < 2; a++) {
		long left = fault_get(fault_attrs[a], "times");

		injected[a] = left < 0 ? -1 : FAULT_TIMES - left;
		fault_set(fault_attrs[a], "probability", "0");
		fault_set(fault_attrs[a], "task-filter", "N");
	}
	for (k = 0; k < NR_STRESS_OPS; k++) {
		uint16_t op = stress_ops[k].op;

		if (stress_ops[k].a)
			closed += res_sum(&r, -1, op, R_EACCES);
		enomem += res_sum(&r, -1, op, R_ENOMEM);
		other += res_sum(&r, -1, op, R_OTHER);
	}
	tap(ok && r.sent && (all || r.sent == count), "faults: %llu commands with %u%% of the worker's allocations failing, %u policy loads: failslab failed %ld, fail_page_alloc %ld",
	    (unsigned long long)r.sent, percent, reloads, injected[0], injected[1]);
	diag("allowed opcodes refused while allocations failed (failing closed): %llu",
	     (unsigned long long)closed);
	diag("delivered %llu, refused %llu, ENOMEM %llu, other errors %llu",
	     (unsigned long long)(res_sum(&r, -1, 0x0100, R_DELIVERED) + res_sum(&r, -1, 0x0101, R_DELIVERED)),
	     (unsigned long long)(res_sum(&r, -1, 0x010a, R_EACCES) + res_sum(&r, -1, 0x0754, R_EACCES)),
	     (unsigned long long)(res_sum(&r, -1, 0x0100, R_ENOMEM) + res_sum(&r, -1, 0x0101, R_ENOMEM) +
				  res_sum(&r, -1, 0x010a, R_ENOMEM) + res_sum(&r, -1, 0x0754, R_ENOMEM)),
	     (unsigned long long)(res_sum(&r, -1, 0x0100, R_OTHER) + res_sum(&r, -1, 0x0101, R_OTHER) +
				  res_sum(&r, -1, 0x010a, R_OTHER) + res_sum(&r, -1, 0x0754, R_OTHER)));
	tap(injected[0] > 0 && injected[1] > 0 && enomem > 0 && !other,
	    "faults: allocations did fail on the worker's paths, and came back as ENOMEM (%llu), no other error (%llu)",
	    (unsigned long long)enomem, (unsigned long long)other);
	tap(ok && !r.violations, "faults: no refused opcode was delivered while allocations failed (%llu)",
	    (unsigned long long)r.violations);
	if (fw_log_read(off, &log))
		bail("cannot read %s", FW_LOG);
	tap(ok && !log.direct[0x010a] && !log.direct[0x0754] && !log.tunnel[0x010a] && !log.tunnel[0x0754] &&
	    log.direct[0x0100] + log.direct[0x0101] >= res_sum(&r, -1, 0x0100, R_DELIVERED) +
	    res_sum(&r, -1, 0x0101, R_DELIVERED),
	    "faults: the device ran none of the refused opcodes, and every delivered command");
	tap(r.sanity[IF_FWCTL] == 0 && r.sanity[IF_DEVX] == 0,
	    "faults: with the faults off, both interfaces deliver again (fwctl %d, devx %d)",
	    r.sanity[IF_FWCTL], r.sanity[IF_DEVX]);
	tap(settled(uctx0, obj0), "faults: the device holds no context or object of the run (uctx_live %ld, obj_live %ld)",
	    fw_state("uctx_live"), fw_state("obj_live"));
	/* objects younger than 5 s are never reported */
	sleep(6);
	leaks = kmemleak_scan(head, sizeof(head));
	tap(leaks == 0, "faults: kmemleak finds no leak after the run (%d)", leaks);
	if (leaks) {
		char *p, *save;

		for (i = 0, p = strtok_r(head, "\n", &save); p && i < 40;
		     p = strtok_r(NULL, "\n", &save), i++)
			diag("%s", p);
	}
	return tap_failed ? 1 : 0;
}

/* ------------------------------------------------------------------ */

static void usage(void)
{
	fprintf(stderr,
		"usage: fwstress stress [-t THREADS] [-n COUNT] [-r RELOADS] [-s SEED]\n"
		"       fwstress fuzz [-n COUNT] [-s SEED]\n"
		"       fwstress toctou [-n COUNT]\n"
		"       fwstress faults [-n COUNT] [-s SEED] [-p PERCENT] [-a]\n");
	exit(2);
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	unsigned int threads = 4, count = 1000, reloads = 100, percent = 10;
	uint64_t seed = 1;
	bool all = false;
	const char *mode;
	int c;

	self_exe = "/proc/self/exe";
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* a worker that died is reported from its status, not by SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2)
		usage();
	mode = argv[1];
	/* the workers, in their domains */
	if (!strcmp(mode, "stress-worker") && argc == 5)
		return stress_worker(num(argv[2]), num(argv[3]), num(argv[4]));
	if (!strcmp(mode, "fuzz-worker") && argc == 4)
		return fuzz_worker(num(argv[2]), num(argv[3]));
	if (!strcmp(mode, "toctou-worker") && argc == 3)
		return toctou_worker(num(argv[2]));
	if (!strcmp(mode, "faults-worker") && argc == 5)
		return faults_worker(num(argv[2]), num(argv[3]), num(argv[4]));
	if (!strcmp(mode, "probe") && argc == 3)
		return probe_worker(num(argv[2]));

	optind = 2;
	while ((c = getopt(argc, argv, "t:n:r:s:p:a")) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 't': threads = num(optarg); break;
		case 'n': count = num(optarg); break;
		case 'r': reloads = num(optarg); break;
		case 's': seed = num(optarg); break;
		case 'p': percent = num(optarg); break;
		default: usage();
		}
	}
	if (optind != argc || !threads || threads > 64 || !count || percent > 100)
		usage();
	if (!strcmp(mode, "stress"))
		return run_stress(threads, count, reloads, seed);
	if (!strcmp(mode, "fuzz"))
		return run_fuzz(count, seed);
	if (!strcmp(mode, "toctou"))
		return run_toctou(count);
	if (!strcmp(mode, "faults"))
		return run_faults(count, seed, percent, all);
	usage();
	return 2;
}
