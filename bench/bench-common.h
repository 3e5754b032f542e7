/* bench-common.h: the statistics and clocks every benchmark shares
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

double bench_median   (double *v,
                       guint   count);
double bench_ms_since (gint64  start);
double bench_cpu_ms   (void);

G_END_DECLS
