// SPDX-License-Identifier: GPL-2.0
/* Guest memory as a table of DMA windows, with strict bounds checking. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dma.h"

void dma_init(struct dma_table *t)
{
	t->r = NULL;
	t->n = t->cap = 0;
}

int dma_add(struct dma_table *t, uint64_t iova, uint64_t size, void *host,
	    int writable, void *map_base, size_t map_len)
{
	size_t i;

	if (!size || iova + size - 1 < iova)
		return -EINVAL;
	for (i = 0; i < t->n; i++) {
		const struct dma_region *r = &t->r[i];

		if (iova <= r->iova + r->size - 1 && r->iova <= iova + size - 1)
			return -EEXIST;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct dma_region *nr;

		if (cap > 65536)
			return -ENOMEM;
		nr = realloc(t->r, cap * sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		t->r = nr;
		t->cap = cap;
	}
	t->r[t->n++] = (struct dma_region){ iova, size, host, writable, map_base, map_len };
	return 0;
}

static void region_release(struct dma_region *r)
{
	if (r->map_base)
		munmap(r->map_base, r->map_len);
}

int dma_remove(struct dma_table *t, uint64_t iova, uint64_t size)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->r[i].iova == iova && t->r[i].size == size) {
			region_release(&t->r[i]);
			t->r[i] = t->r[--t->n];
			return 0;
		}
	}
	return -ENOENT;
}

void dma_remove_all(struct dma_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		region_release(&t->r[i]);
	free(t->r);
	dma_init(t);
}

/* Region holding addr, or NULL. */
static const struct dma_region *lookup(const struct dma_table *t, uint64_t addr)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (addr >= t->r[i].iova && addr - t->r[i].iova < t->r[i].size)
			return &t->r[i];
	return NULL;
}

/* Check the whole range first so a failed access has no side effect. */
static int check(const struct dma_table *t, uint64_t addr, size_t len, int write)
{
	if (len && addr + len - 1 < addr)
		return -EFAULT;
	while (len) {
		const struct dma_region *r = lookup(t, addr);
		uint64_t avail;

		if (!r || !r->host || (write && !r->writable))
			return -EFAULT;
		avail = r->size - (addr - r->iova);
		if (avail >= len)
			return 0;
		addr += avail;
		len -= avail;
	}
	return 0;
}

static void copy(const struct dma_table *t, uint64_t addr, void *buf,
		 size_t len, int write)
{
	uint8_t *p = buf;

	while (len) {
		const struct dma_region *r = lookup(t, addr);
		uint64_t off = addr - r->iova, n = r->size - off;

		if (n > len)
			n = len;
		if (write)
			memcpy(r->host + off, p, n);
		else
			memcpy(p, r->host + off, n);
		addr += n;
		p += n;
		len -= n;
	}
}

int dma_read(const struct dma_table *t, uint64_t addr, void *buf, size_t len)
{
	if (check(t, addr, len, 0))
		return -EFAULT;
	copy(t, addr, buf, len, 0);
	return 0;
}

int dma_write(const struct dma_table *t, uint64_t addr, const void *buf, size_t len)
{
	if (check(t, addr, len, 1))
		return -EFAULT;
	copy(t, addr, (void *)buf, len, 1);
	return 0;
}
