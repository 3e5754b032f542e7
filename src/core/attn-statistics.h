/* attn-statistics.h
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ATTN_TIE_TOLERANCE:
 *
 * Values within this distance of the first value of a run of sorted values
 * are treated as equal before ranking (DESIGN §2).
 */
#define ATTN_TIE_TOLERANCE 1e-9

void     attn_snap_ties      (const double *values,
                              gsize         n,
                              double        tolerance,
                              double       *out);
void     attn_rank_average   (const double *values,
                              gsize         n,
                              double       *ranks);
double   attn_spearman       (const double *x,
                              const double *y,
                              gsize         n);
void     attn_mean_std       (const double *values,
                              gsize         n,
                              double       *mean,
                              double       *std,
                              guint        *n_nan);

G_END_DECLS
