/* attn-kernel-private.h: what the vector kernels of core share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* On x86-64 Linux with GCC a kernel marked so is also compiled for AVX2,
 * and the version the processor runs is picked at run time. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define KERNEL_CLONES __attribute__ ((target_clones ("avx2", "default")))
#else
#define KERNEL_CLONES
#endif
