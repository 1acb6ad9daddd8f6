/* SPDX-License-Identifier: GPL-2.0 */
/* vfio-user server side (protocol: QEMU docs/interop/vfio-user.rst). */
#ifndef EMU_VFU_H
#define EMU_VFU_H

#include <stdint.h>

#include "dma.h"
#include "mlx5.h"

enum {
	VFU_VERSION = 1,
	VFU_DMA_MAP = 2,
	VFU_DMA_UNMAP = 3,
	VFU_DEVICE_GET_INFO = 4,
	VFU_DEVICE_GET_REGION_INFO = 5,
	VFU_DEVICE_GET_REGION_IO_FDS = 6,
	VFU_DEVICE_GET_IRQ_INFO = 7,
	VFU_DEVICE_SET_IRQS = 8,
	VFU_REGION_READ = 9,
	VFU_REGION_WRITE = 10,
	VFU_DMA_READ = 11,
	VFU_DMA_WRITE = 12,
	VFU_DEVICE_RESET = 13,
	VFU_CMD_MAX = 18,
};

#define VFU_F_TYPE_MASK		0xf
#define VFU_F_TYPE_COMMAND	0
#define VFU_F_TYPE_REPLY	1
#define VFU_F_NO_REPLY		0x10
#define VFU_F_ERROR		0x20

struct vfu_hdr {
	uint16_t msg_id;
	uint16_t cmd;
	uint32_t size;
	uint32_t flags;
	uint32_t error;
};

/* VFIO region and IRQ indexes of a PCI device (linux/vfio.h) */
enum { VFU_REGION_BAR0 = 0, VFU_REGION_CONFIG = 7, VFU_NUM_REGIONS = 9 };
enum { VFU_IRQ_INTX, VFU_IRQ_MSI, VFU_IRQ_MSIX, VFU_IRQ_ERR, VFU_IRQ_REQ, VFU_NUM_IRQS };
#define VFU_MAX_IRQ_VEC		EMU_MSIX_VECTORS
#define VFU_MAX_FDS		16
#define VFU_MAX_XFER		(1u << 20)
#define VFU_MAX_MSG		(sizeof(struct vfu_hdr) + 64 + VFU_MAX_XFER)

struct vfu_server {
	int sock;
	struct dma_table dma;
	struct mlx5_emu *emu;
	int irq_fd[VFU_NUM_IRQS][VFU_MAX_IRQ_VEC];
	int version_done;
	unsigned long nmsgs, nerrs;
};

void vfu_init(struct vfu_server *s, int sock, struct mlx5_emu *emu);
void vfu_fini(struct vfu_server *s);
/* Read and handle one message: 1 handled, 0 peer closed, -1 fatal error. */
int vfu_handle_one(struct vfu_server *s);
/* Signal one interrupt vector (used as mlx5_emu.irq). */
void vfu_irq(void *opaque, unsigned int vec);

#endif
