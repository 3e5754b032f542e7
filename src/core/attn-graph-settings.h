/* attn-graph-settings.h: the settings a graph is built with
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-graph.h"

G_BEGIN_DECLS

/**
 * AttnGraphSettings:
 *
 * How an example's attention becomes its graph: the weights (the attention or
 * a kind of contributions), the residual weight α, the head mixing and the
 * head subset (docs/METHODS.md). It owns its list of heads.
 * Immutable and reference counted: whoever changes a setting makes new
 * settings, so workers can keep the ones they were given.
 */
typedef struct _AttnGraphSettings AttnGraphSettings;

#define ATTN_TYPE_GRAPH_SETTINGS (attn_graph_settings_get_type ())

GType              attn_graph_settings_get_type      (void) G_GNUC_CONST;
AttnGraphSettings *attn_graph_settings_new           (double                   residual,
                                                      AttnHeadMix              head_mix,
                                                      const char              *heads,
                                                      GError                 **error);
AttnGraphSettings *attn_graph_settings_new_for_weights (AttnWeightKind        weights,
                                                      double                   residual,
                                                      AttnHeadMix              head_mix,
                                                      const char              *heads,
                                                      GError                 **error);
AttnGraphSettings *attn_graph_settings_copy_with_weights (const AttnGraphSettings *self,
                                                      AttnWeightKind           weights);
AttnGraphSettings *attn_graph_settings_new_default   (void);
AttnGraphSettings *attn_graph_settings_ref           (AttnGraphSettings       *self);
void               attn_graph_settings_unref         (AttnGraphSettings       *self);

AttnWeightKind     attn_graph_settings_get_weights   (const AttnGraphSettings *self);
gboolean           attn_graph_settings_get_residual_applies (const AttnGraphSettings *self);
double             attn_graph_settings_get_residual  (const AttnGraphSettings *self);
AttnHeadMix        attn_graph_settings_get_head_mix  (const AttnGraphSettings *self);
const char        *attn_graph_settings_get_heads     (const AttnGraphSettings *self);
const guint       *attn_graph_settings_get_head_list (const AttnGraphSettings *self,
                                                      guint                   *n_heads);
gboolean           attn_graph_settings_equal         (const AttnGraphSettings *a,
                                                      const AttnGraphSettings *b);
gboolean           attn_graph_settings_check_example (const AttnGraphSettings *self,
                                                      AttnExample             *example,
                                                      GError                 **error);

AttnGraph         *attn_graph_new_from_settings      (AttnExample             *example,
                                                      const AttnGraphSettings *settings,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);

const char        *attn_head_mix_get_name            (AttnHeadMix              head_mix);
const char        *attn_head_mix_get_label           (AttnHeadMix              head_mix);
const char        *attn_heads_get_label              (const char              *heads);
char              *attn_heads_dup_canonical          (const char              *heads);
guint              attn_heads_get_weight_kinds       (const char              *heads,
                                                      const AttnExample       *example);
gboolean           attn_heads_apply_to               (const AttnExample       *example,
                                                      AttnWeightKind           kind);
const char        *attn_heads_for_examples           (const char              *heads,
                                                      AttnWeightKind           kind,
                                                      GPtrArray               *examples);
gboolean           attn_head_mix_from_name           (const char              *name,
                                                      AttnHeadMix             *head_mix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnGraphSettings, attn_graph_settings_unref)

gboolean           attn_graph_settings_get_heads_apply   (const AttnGraphSettings *self,
                                                          GPtrArray               *examples);
void               attn_graph_settings_describe_examples (const AttnGraphSettings *self,
                                                          const char              *file,
                                                          guint                    n_examples,
                                                          gboolean                 heads_apply,
                                                          gboolean                 name_weights,
                                                          gboolean                 label_weights,
                                                          GString                 *out);

G_END_DECLS
