// SPDX-License-Identifier: GPL-2.0
/*
 * avc-watch CMD [ARG...]: run CMD while registered as the audit daemon and
 * print, after it exits, every AVC record the kernel sent, one per line, to
 * stdout; CMD's own output goes to stderr.  Exits with CMD's exit status.
 *
 * For the guest's shell tests: the kernel log is no place to count AVC
 * records, since with no audit daemon kauditd prints them through
 * printk_ratelimit() and drops the excess.  Uses the selftests' audit.h.
 *
 * avc-watch --enabled [0|1]: print whether auditing is enabled, or set it.
 */
#include <stdlib.h>
#include <sys/wait.h>

#include "audit.h"

int main(int argc, char **argv)
{
	struct audit_msg msg;
	int fd, status;
	ssize_t len;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: avc-watch CMD [ARG...] | --enabled [0|1]\n");
		return 2;
	}
	if (!strcmp(argv[1], "--enabled")) {
		int rc = argc > 2 ? audit_set_enabled(atoi(argv[2])) :
			 audit_get_enabled();

		if (rc < 0) {
			fprintf(stderr, "avc-watch: %s\n", strerror(-rc));
			return 1;
		}
		if (argc == 2)
			printf("%d\n", rc);
		return 0;
	}
	fd = audit_open();
	if (fd < 0) {
		fprintf(stderr, "avc-watch: cannot register for audit: %s\n",
			strerror(-fd));
		return 2;
	}
	audit_drain(fd);
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 2;
	/* records are delivered by kauditd, asynchronously */
	audit_set_timeout(fd, 1000);
	while ((len = recv(fd, &msg, sizeof(msg) - 1, 0)) > 0) {
		size_t body = len - NLMSG_HDRLEN;

		if (msg.hdr.nlmsg_type != AUDIT_AVC)
			continue;
		msg.data[body < sizeof(msg.data) ? body : sizeof(msg.data) - 1] = '\0';
		printf("%s\n", msg.data);
	}
	audit_close(fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}
