/* attn-statistics.h: Spearman's rank correlation (docs/METHODS.md), one example's ρ
 * per layer and their summary over examples, and the numbers and fields of the commands' tables
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-flow.h"
#include "attn-graph.h"
#include "attn-graph-settings.h"
#include "attn-method.h"

G_BEGIN_DECLS

/**
 * ATTN_TIE_TOLERANCE:
 *
 * Values within this distance of the first value of a run of sorted values
 * are treated as equal before ranking (docs/METHODS.md).
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

/**
 * AttnCorrelationMethods:
 * @ATTN_CORRELATION_RAW: raw attention, row focus of W_l
 * @ATTN_CORRELATION_ROLLOUT: attention rollout
 * @ATTN_CORRELATION_FLOW: attention flow (normalised)
 * @ATTN_CORRELATION_ALL: all three
 *
 * The methods attn_correlate_example() compares with a reference.
 */
typedef enum
{
  ATTN_CORRELATION_RAW     = 1 << ATTN_METHOD_RAW,
  ATTN_CORRELATION_ROLLOUT = 1 << ATTN_METHOD_ROLLOUT,
  ATTN_CORRELATION_FLOW    = 1 << ATTN_METHOD_FLOW,
  ATTN_CORRELATION_ALL     = (1 << ATTN_N_METHODS) - 1,
} AttnCorrelationMethods;

gboolean attn_correlate_example (AttnGraph              *graph,
                                 const char             *reference,
                                 AttnCorrelationMethods  methods,
                                 gboolean                exclude_special,
                                 const AttnFlowOptions  *flow_options,
                                 double                 *out,
                                 GCancellable           *cancellable,
                                 GError                **error);

void     attn_correlation_summarize  (const double           *rho,
                                      guint                   n_examples,
                                      guint                   n_layers,
                                      double                 *mean,
                                      double                 *std,
                                      guint                  *nan_count);
gboolean attn_add_example_of_one_model (GPtrArray   *examples,
                                        guint       *n_layers,
                                        AttnExample *example,
                                        const char  *command,
                                        GError     **error);
void     attn_append_number          (GString                *out,
                                      double                  value);
const char *attn_format_setting      (char                   *buffer,
                                      double                  value);
void     attn_append_table_field     (GString                *out,
                                      const char             *text,
                                      char                    separator);

/**
 * AttnCsvFlags:
 * @ATTN_CSV_DEFAULT: a table of one result: a header, the rows, the
 *   settings in the last columns
 * @ATTN_CSV_WEIGHTS_FIRST: the weights in a first column `weights` rather
 *   than among the last (a table of several weight kinds, whose first column
 *   it always was)
 * @ATTN_CSV_NO_HEADER: the rows only (a kind after the first)
 *
 * How a result's CSV is laid out.
 */
typedef enum
{
  ATTN_CSV_DEFAULT       = 0,
  ATTN_CSV_WEIGHTS_FIRST = 1 << 0,
  ATTN_CSV_NO_HEADER     = 1 << 1,
} AttnCsvFlags;

/**
 * AttnCsvColumns:
 * @first_names: the names of the columns before a table's own, each
 *   followed by a comma ("weights,"), or empty
 * @first_values: a row's fields of them ("alti,")
 * @last_names: the names of the columns after a table's own, each after a
 *   comma (",reference,weights,residual,…"), or empty
 * @last_values: a row's fields of them
 * @header: whether the table writes its header line
 *
 * The columns every row of a table shares: the settings that made its
 * numbers (attn_csv_columns_init()).
 */
typedef struct
{
  GString  *first_names;
  GString  *first_values;
  GString  *last_names;
  GString  *last_values;
  gboolean  header;
} AttnCsvColumns;

void     attn_csv_columns_init       (AttnCsvColumns          *self,
                                      const char              *reference,
                                      const AttnGraphSettings *settings,
                                      AttnCsvFlags             flags);
void     attn_csv_columns_add        (AttnCsvColumns          *self,
                                      const char              *name,
                                      const char              *value);
void     attn_csv_columns_clear      (AttnCsvColumns          *self);
void     attn_csv_append_header      (GString                 *out,
                                      const AttnCsvColumns    *columns,
                                      const char              *names);
void     attn_csv_begin_row          (GString                 *out,
                                      const AttnCsvColumns    *columns);
void     attn_csv_end_row            (GString                 *out,
                                      const AttnCsvColumns    *columns);
void     attn_correlation_append_csv (GString                *out,
                                      AttnCorrelationMethods  methods,
                                      guint                   n_layers,
                                      guint                   n_examples,
                                      const double           *mean,
                                      const double           *std,
                                      const guint            *nan_count,
                                      const AttnCsvColumns   *columns);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AttnCsvColumns, attn_csv_columns_clear)

G_END_DECLS
