/* SPDX-License-Identifier: GPL-2.0 */
/* Guest-physical (DMA) address space as announced by VFIO_USER_DMA_MAP. */
#ifndef EMU_DMA_H
#define EMU_DMA_H

#include <stddef.h>
#include <stdint.h>

struct dma_region {
	uint64_t iova;
	uint64_t size;
	uint8_t *host;		/* NULL: no fd was passed, not directly accessible */
	int writable;
	void *map_base;		/* what to munmap(), NULL if not mmapped by us */
	size_t map_len;
};

struct dma_table {
	struct dma_region *r;
	size_t n, cap;
};

void dma_init(struct dma_table *t);
/* 0, -EEXIST (overlap), -EINVAL (size 0 or wraps), -ENOMEM */
int dma_add(struct dma_table *t, uint64_t iova, uint64_t size, void *host,
	    int writable, void *map_base, size_t map_len);
/* exact match required; 0 or -ENOENT */
int dma_remove(struct dma_table *t, uint64_t iova, uint64_t size);
void dma_remove_all(struct dma_table *t);
/*
 * Copy to/from guest memory.  Every byte must lie in a region with a host
 * mapping (and a writable one for dma_write); the access may span adjacent
 * regions.  Returns 0 or -EFAULT; nothing is copied on failure of dma_write's
 * range check.
 */
int dma_read(const struct dma_table *t, uint64_t addr, void *buf, size_t len);
int dma_write(const struct dma_table *t, uint64_t addr, const void *buf, size_t len);

#endif
