/* attn-correlation.h: the paper's Tables 1 and 2 for a file: each method against a reference
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-document.h"
#include "attn-graph-settings.h"
#include "attn-statistics.h"
#include "attn-trace.h"

G_BEGIN_DECLS

/**
 * AttnCorrelation:
 *
 * For every example of a file that carries `references.NAME`, at its focus
 * token, Spearman's ρ between the reference and each method's importance of
 * the input tokens at every layer; and per method and layer the mean, the
 * sample standard deviation and the NaN count over the examples (what
 * `attnflow-cli correlate` prints and the evaluation window shows).
 * Immutable and reference counted.
 */
typedef struct _AttnCorrelation AttnCorrelation;

#define ATTN_TYPE_CORRELATION (attn_correlation_get_type ())

GType                   attn_correlation_get_type            (void) G_GNUC_CONST;
AttnCorrelation        *attn_correlation_ref                 (AttnCorrelation        *self);
void                    attn_correlation_unref               (AttnCorrelation        *self);

AttnCorrelation        *attn_correlation_run                 (AttnDocument           *document,
                                                              const char             *reference,
                                                              AttnGraphSettings      *settings,
                                                              AttnCorrelationMethods  methods,
                                                              gboolean                exclude_special,
                                                              AttnProgressFunc        progress,
                                                              gpointer                user_data,
                                                              GCancellable           *cancellable,
                                                              GError                **error);

void                    attn_correlation_run_async           (AttnDocument           *document,
                                                              const char             *reference,
                                                              AttnGraphSettings      *settings,
                                                              AttnCorrelationMethods  methods,
                                                              gboolean                exclude_special,
                                                              AttnProgress           *progress,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
AttnCorrelation        *attn_correlation_run_finish          (GAsyncResult           *result,
                                                              GError                **error);

const char             *attn_correlation_get_reference       (const AttnCorrelation  *self);
const char             *attn_reference_get_label             (const char             *name);
AttnGraphSettings      *attn_correlation_get_settings        (const AttnCorrelation  *self);
AttnCorrelationMethods  attn_correlation_get_methods         (const AttnCorrelation  *self);
gboolean                attn_correlation_get_exclude_special (const AttnCorrelation  *self);
guint                   attn_correlation_get_n_layers        (const AttnCorrelation  *self);
guint                   attn_correlation_get_n_examples      (const AttnCorrelation  *self);
guint                   attn_correlation_get_n_lacking       (const AttnCorrelation  *self);
AttnExample            *attn_correlation_get_example         (const AttnCorrelation  *self,
                                                              guint                   index);
const double           *attn_correlation_get_rho             (const AttnCorrelation  *self,
                                                              guint                   index);
const double           *attn_correlation_get_mean            (const AttnCorrelation  *self);
const double           *attn_correlation_get_std             (const AttnCorrelation  *self);
const guint            *attn_correlation_get_nan_count       (const AttnCorrelation  *self);

void                    attn_correlation_append_csv_table    (const AttnCorrelation  *self,
                                                              GString                *out,
                                                              AttnCsvFlags            flags);
char                   *attn_correlation_to_csv              (const AttnCorrelation  *self);
char                   *attn_correlation_describe            (const AttnCorrelation  *self,
                                                              const char             *file,
                                                              gboolean                name_weights);
char                   *attn_correlation_describe_figure     (const AttnCorrelation  *self,
                                                              const char             *file,
                                                              gboolean                name_weights);
char                   *attn_correlation_describe_settings   (const char             *file,
                                                              guint                   n_examples,
                                                              const AttnGraphSettings *settings,
                                                              gboolean                heads_apply,
                                                              gboolean                exclude_special);
char                   *attn_correlation_command_line        (const char             *path,
                                                              const char             *reference,
                                                              const AttnGraphSettings *settings,
                                                              gboolean                exclude_special);

char                   *attn_correlation_format_mean         (double                  mean,
                                                              double                  std,
                                                              guint                   nan_count);
char                   *attn_correlation_format_value        (double                  value);
void                    attn_correlation_count_defined       (AttnCorrelationMethods  methods,
                                                              guint                   n_layers,
                                                              guint                   n_examples,
                                                              const guint            *nan_count,
                                                              guint                  *least,
                                                              guint                  *most);
char                   *attn_correlation_format_heading      (AttnCorrelationMethods  methods,
                                                              guint                   n_layers,
                                                              guint                   n_examples,
                                                              const guint            *nan_count);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnCorrelation, attn_correlation_unref)

G_END_DECLS
