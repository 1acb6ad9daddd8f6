# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest's shell tests: "result STATUS DESCRIPTION" prints
# one TAP line; $fail is 1 once any result was not 0.
n=0
fail=0
result()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fail=1
	fi
}
