/* attn-antecedents.h: pronoun resolution: does a method prefer the antecedent the meaning picks?
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-document.h"
#include "attn-graph-settings.h"
#include "attn-method.h"
#include "attn-progress.h"
#include "attn-statistics.h"

G_BEGIN_DECLS

/**
 * ATTN_ANTECEDENT_TIE_TOLERANCE:
 *
 * Importances closer than this are equal: the first antecedent wins only
 * when it leads every other candidate by more. Flow saturates, so values
 * that are mathematically equal come out of floating-point max-flow a few
 * ulps apart (the same rule as the snapping before Spearman's ρ).
 */
#define ATTN_ANTECEDENT_TIE_TOLERANCE 1e-9

/**
 * AttnAntecedentOutcome:
 * @ATTN_ANTECEDENT_MISS: another candidate gets more importance
 * @ATTN_ANTECEDENT_TIE: the first antecedent leads no other candidate by
 *   more than %ATTN_ANTECEDENT_TIE_TOLERANCE, and none leads it by more
 * @ATTN_ANTECEDENT_WIN: the first antecedent gets more importance than every
 *   other candidate
 *
 * How the first antecedent fares against the other candidates at one layer.
 */
typedef enum
{
  ATTN_ANTECEDENT_MISS,
  ATTN_ANTECEDENT_TIE,
  ATTN_ANTECEDENT_WIN,
} AttnAntecedentOutcome;

AttnAntecedentOutcome attn_antecedent_outcome      (const double *values,
                                                    guint         n_antecedents);
void                  attn_antecedent_pick         (AttnExample  *example,
                                                    const double *values,
                                                    double       *out);

/**
 * AttnAntecedents:
 *
 * For every example of a file that names two or more candidate
 * `antecedents` of its pronoun `focus`: each method's importance of the
 * candidates for the node (l, focus) at every layer l, and per method and
 * layer how many examples give the first antecedent (the one the sentence's
 * meaning selects) more importance than every other candidate (what
 * `attnflow-cli antecedents` prints). Immutable and reference counted.
 */
typedef struct _AttnAntecedents AttnAntecedents;

#define ATTN_TYPE_ANTECEDENTS (attn_antecedents_get_type ())

GType                   attn_antecedents_get_type         (void) G_GNUC_CONST;
AttnAntecedents        *attn_antecedents_ref              (AttnAntecedents        *self);
void                    attn_antecedents_unref            (AttnAntecedents        *self);

AttnAntecedents        *attn_antecedents_run              (AttnDocument           *document,
                                                           AttnGraphSettings      *settings,
                                                           AttnCorrelationMethods  methods,
                                                           AttnProgressFunc        progress,
                                                           gpointer                user_data,
                                                           GCancellable           *cancellable,
                                                           GError                **error);

AttnGraphSettings      *attn_antecedents_get_settings     (const AttnAntecedents  *self);
AttnCorrelationMethods  attn_antecedents_get_methods      (const AttnAntecedents  *self);
guint                   attn_antecedents_get_n_layers     (const AttnAntecedents  *self);
guint                   attn_antecedents_get_n_examples   (const AttnAntecedents  *self);
guint                   attn_antecedents_get_n_left_out   (const AttnAntecedents  *self);
AttnExample            *attn_antecedents_get_example      (const AttnAntecedents  *self,
                                                           guint                   index);
const double           *attn_antecedents_get_values       (const AttnAntecedents  *self,
                                                           guint                   index,
                                                           AttnMethod              method);
AttnAntecedentOutcome   attn_antecedents_get_outcome      (const AttnAntecedents  *self,
                                                           guint                   index,
                                                           AttnMethod              method,
                                                           guint                   layer);
const guint            *attn_antecedents_get_wins         (const AttnAntecedents  *self);
const guint            *attn_antecedents_get_ties         (const AttnAntecedents  *self);
double                  attn_antecedents_get_share        (const AttnAntecedents  *self,
                                                           AttnMethod              method,
                                                           guint                   layer);
guint                   attn_antecedents_get_n_references (const AttnAntecedents  *self);
const char             *attn_antecedents_get_reference    (const AttnAntecedents  *self,
                                                           guint                   index,
                                                           guint                  *wins,
                                                           guint                  *ties,
                                                           guint                  *n_examples);

void                    attn_antecedents_append_csv_table (const AttnAntecedents  *self,
                                                           GString                *out,
                                                           AttnCsvFlags            flags);
char                   *attn_antecedents_to_csv           (const AttnAntecedents  *self);
char                   *attn_antecedents_describe         (const AttnAntecedents  *self,
                                                           const char             *file,
                                                           gboolean                name_weights);
char                   *attn_antecedents_format_share     (guint                   wins,
                                                           guint                   ties,
                                                           guint                   n_examples);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnAntecedents, attn_antecedents_unref)

G_END_DECLS
