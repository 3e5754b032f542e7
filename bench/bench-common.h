/* bench-common.h: the statistics and clocks every benchmark shares
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-core.h"

G_BEGIN_DECLS

double bench_median   (double *v,
                       guint   count);
double bench_ms_since (gint64  start);
double bench_cpu_ms   (void);
double bench_peak_rss_mib (void);

AttnGraph *bench_load_graph (const char    *path,
                             AttnDocument **document);
AttnGraph *bench_load_graph_weights (const char     *path,
                                     AttnWeightKind  weights,
                                     AttnDocument  **document);

/* Cancels @cancellable after @delay_us from another thread (g_thread_new
 * (..., bench_cancel_later, &canceller)), and records when. */
typedef struct
{
  GCancellable *cancellable;
  gulong        delay_us;
  gint64        cancelled_at;
} BenchCanceller;

gpointer bench_cancel_later (gpointer data);

/* An AttnFlowPartialFunc that counts the reports. */
typedef struct
{
  gint64 start;
  gint64 first_report;
  guint  n_reports;
  guint  n_values;
  double last_fraction;
} BenchProgress;

void bench_progress_cb (guint         layer,
                        guint         position,
                        const double *values,
                        double        fraction,
                        gpointer      user_data);

G_END_DECLS
