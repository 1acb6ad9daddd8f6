// SPDX-License-Identifier: GPL-2.0
/*
 * setlabel CONTEXT PATH...: set the SELinux label of each PATH, as
 * restorecon would from file_contexts (busybox has no chcon).  Prints what
 * it did; exits 1 if any PATH could not be labeled.
 * setlabel --get PATH: print the label of PATH.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

int main(int argc, char **argv)
{
	int i, rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: setlabel CONTEXT PATH... | --get PATH\n");
		return 2;
	}
	if (!strcmp(argv[1], "--get")) {
		char ctx[256];
		ssize_t n = getxattr(argv[2], "security.selinux", ctx,
				     sizeof(ctx) - 1);

		if (n <= 0) {
			fprintf(stderr, "setlabel: %s: %s\n", argv[2],
				strerror(errno));
			return 1;
		}
		ctx[n] = '\0';
		printf("%s\n", ctx);
		return 0;
	}
	for (i = 2; i < argc; i++) {
		if (setxattr(argv[i], "security.selinux", argv[1],
			     strlen(argv[1]) + 1, 0)) {
			fprintf(stderr, "setlabel: %s: %s\n", argv[i],
				strerror(errno));
			rc = 1;
			continue;
		}
		printf("%s %s\n", argv[1], argv[i]);
	}
	return rc;
}
