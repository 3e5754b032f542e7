/* attn-graph-settings.c: the settings a graph is built with
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "attn-error.h"
#include "attn-graph-private.h"
#include "attn-graph-settings.h"
#include "attn-keyword.h"
#include "attn-refcount.h"

struct _AttnGraphSettings
{
  AttnWeightKind weights;
  double       residual;
  AttnHeadMix  head_mix;
  char        *heads;       /* "0,1,2,3" for "0-3" or "3,0-2"; "all" for every head */
  GArray      *head_list;   /* guint, ascending; empty for every head */
};

G_DEFINE_BOXED_TYPE (AttnGraphSettings, attn_graph_settings,
                     attn_graph_settings_ref, attn_graph_settings_unref)

static void
settings_clear (gpointer data)
{
  AttnGraphSettings *self = data;

  g_free (self->heads);
  g_clear_pointer (&self->head_list, g_array_unref);
}

/**
 * attn_graph_settings_new:
 * @residual: α in [0, 1] (0.5 is the paper)
 * @head_mix: mean or max
 * @heads: (nullable): "all", or 0-based head indices and ranges such as "0,3,5" or "0-5";
 *   %NULL or "" for all
 * @error: return location for a #GError
 *
 * Checks the settings as far as they can be checked without an example:
 * the heads' syntax (whether the model has them is checked when a graph is
 * built, attn_graph_settings_check_example()).
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with @error set
 */
AttnGraphSettings *
attn_graph_settings_new (double        residual,
                         AttnHeadMix   head_mix,
                         const char   *heads,
                         GError      **error)
{
  AttnGraphSettings *self;
  g_autoptr(GArray) list = NULL;

  if (heads == NULL || *heads == '\0')
    heads = "all";
  if (!isfinite (residual) || residual < 0. || residual > 1.)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Invalid residual weight %g: expected a number from 0 to 1"), residual);
      return NULL;
    }
  if (!attn_parse_heads (heads, G_MAXUINT, &list, error))
    return NULL;

  self = g_atomic_rc_box_new0 (AttnGraphSettings);
  self->residual = residual;
  self->head_mix = head_mix == ATTN_HEAD_MIX_MAX ? ATTN_HEAD_MIX_MAX : ATTN_HEAD_MIX_MEAN;
  self->heads = attn_heads_dup_canonical (heads);
  self->head_list = g_steal_pointer (&list);
  return self;
}

/**
 * attn_graph_settings_new_for_weights:
 * @weights: what the edges weigh: the attention or a kind of contributions
 * @residual: α in [0, 1] (0.5 is the paper); kept, but not applied, for
 *   weights that contain the residual (attn_weight_kind_includes_residual())
 * @head_mix: mean or max
 * @heads: (nullable): "all", or 0-based head indices of @weights
 * @error: return location for a #GError
 *
 * attn_graph_settings_new() for other weights than the attention; whether an
 * example carries them is checked by attn_graph_settings_check_example().
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with @error set
 */
AttnGraphSettings *
attn_graph_settings_new_for_weights (AttnWeightKind   weights,
                                     double           residual,
                                     AttnHeadMix      head_mix,
                                     const char      *heads,
                                     GError         **error)
{
  AttnGraphSettings *self;

  g_return_val_if_fail (weights < ATTN_N_WEIGHT_KINDS, NULL);

  self = attn_graph_settings_new (residual, head_mix, heads, error);
  if (self != NULL)
    self->weights = weights;
  return self;
}

/**
 * attn_graph_settings_copy_with_weights:
 * @weights: other weights
 *
 * Returns: (transfer full): the same settings for @weights (a new reference
 *   to @self when they are its own)
 */
AttnGraphSettings *
attn_graph_settings_copy_with_weights (const AttnGraphSettings *self,
                                       AttnWeightKind           weights)
{
  AttnGraphSettings *copy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (weights < ATTN_N_WEIGHT_KINDS, NULL);

  if (weights == self->weights)
    return attn_graph_settings_ref ((AttnGraphSettings *) self);
  copy = attn_graph_settings_new_for_weights (weights, self->residual, self->head_mix, self->heads,
                                              NULL);
  g_assert (copy != NULL);
  return copy;
}

/**
 * attn_graph_settings_new_default:
 *
 * Returns: (transfer full): the paper's settings: α = 0.5, the mean of every head
 */
AttnGraphSettings *
attn_graph_settings_new_default (void)
{
  return attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, NULL, NULL);
}

ATTN_DEFINE_RC_BOX_REFS (AttnGraphSettings, attn_graph_settings, settings_clear)

/**
 * attn_graph_settings_get_weights:
 *
 * Returns: what the graph's edges weigh
 */
AttnWeightKind
attn_graph_settings_get_weights (const AttnGraphSettings *self)
{
  g_return_val_if_fail (self != NULL, ATTN_WEIGHT_KIND_ATTENTION);

  return self->weights;
}

/**
 * attn_graph_settings_get_residual_applies:
 *
 * Returns: whether α is applied: %FALSE for weights that contain the
 *   residual (GlobEnc, ALTI, Value Zeroing)
 */
gboolean
attn_graph_settings_get_residual_applies (const AttnGraphSettings *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return !attn_weight_kind_includes_residual (self->weights);
}

double
attn_graph_settings_get_residual (const AttnGraphSettings *self)
{
  g_return_val_if_fail (self != NULL, 0.5);

  return self->residual;
}

AttnHeadMix
attn_graph_settings_get_head_mix (const AttnGraphSettings *self)
{
  g_return_val_if_fail (self != NULL, ATTN_HEAD_MIX_MEAN);

  return self->head_mix;
}

/**
 * attn_graph_settings_get_heads:
 *
 * Returns: the heads, in order and one by one ("0,1,2,3" for "0-3"), "all"
 *   for every head
 */
const char *
attn_graph_settings_get_heads (const AttnGraphSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->heads;
}

/**
 * attn_graph_settings_get_head_list:
 * @n_heads: (out): how many heads are listed; 0 for every head
 *
 * Returns: (array length=n_heads) (nullable): the head indices, ascending
 */
const guint *
attn_graph_settings_get_head_list (const AttnGraphSettings *self,
                                   guint                   *n_heads)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_heads != NULL, NULL);

  *n_heads = self->head_list->len;
  return self->head_list->len > 0 ? (const guint *) (gconstpointer) self->head_list->data : NULL;
}

/**
 * attn_graph_settings_equal:
 *
 * Returns: whether @a and @b build the same graph (the heads compared as
 *   lists, not as text)
 */
gboolean
attn_graph_settings_equal (const AttnGraphSettings *a,
                           const AttnGraphSettings *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->weights != b->weights || a->residual != b->residual || a->head_mix != b->head_mix ||
      a->head_list->len != b->head_list->len)
    return FALSE;
  for (guint i = 0; i < a->head_list->len; i++)
    if (g_array_index (a->head_list, guint, i) != g_array_index (b->head_list, guint, i))
      return FALSE;
  return TRUE;
}

static void
prefix_example (GError      **error,
                AttnExample  *example,
                GError       *local_error)
{
  g_autofree char *name = attn_example_dup_message_name (example);

  /* translators: the example (“cat-mat”, or 3 (no id)), an error message */
  g_set_error (error, local_error->domain, local_error->code, _("Example %s: %s"),
               name, local_error->message);
}

/**
 * attn_graph_settings_check_example:
 *
 * Returns: whether @example carries the settings' weights and has every
 *   head of the settings in them; else %FALSE with @error naming the example
 *   and the weights or the head
 */
gboolean
attn_graph_settings_check_example (const AttnGraphSettings  *self,
                                   AttnExample              *example,
                                   GError                  **error)
{
  g_autoptr(GArray) heads = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (example != NULL, FALSE);

  if (!attn_graph_check_weights (example, self->weights, error))
    return FALSE;
  /* weights without heads: any head but 0 is an error of its own */
  if (attn_example_get_weights_head_mixed (example, self->weights) &&
      attn_parse_heads (self->heads, G_MAXUINT, &heads, NULL))
    return _attn_graph_check_headless (example, self->weights, (const guint *) heads->data, heads->len, error);
  if (!_attn_parse_heads_full (self->heads, attn_example_get_weights_n_heads (example, self->weights),
                               TRUE, &heads, &local_error))
    {
      if (self->weights != ATTN_WEIGHT_KIND_ATTENTION)
        {
          /* translators: %s is a weight kind such as "globenc", the rest an error message */
          g_prefix_error (&local_error, _("“%s” weights: "), attn_weight_kind_get_name (self->weights));
        }
      prefix_example (error, example, local_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * attn_graph_new_from_settings:
 * @example: the example
 * @settings: how to build its graph
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * attn_graph_new() with @settings; errors name the example.
 *
 * Returns: (transfer full) (nullable): the graph, or %NULL with @error set
 */
AttnGraph *
attn_graph_new_from_settings (AttnExample              *example,
                              const AttnGraphSettings  *settings,
                              GCancellable             *cancellable,
                              GError                  **error)
{
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;

  g_return_val_if_fail (example != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  if (!attn_graph_settings_check_example (settings, example, error))
    return NULL;
  options.residual = settings->residual;
  options.head_mix = settings->head_mix;
  options.weights = settings->weights;
  options.heads = attn_graph_settings_get_head_list (settings, &options.n_heads);
  /* its errors name the example already (the settings' residual is in
   * range): prefixed again, memory running out read “Example “s4096”:
   * Example “s4096”: not enough memory …” */
  return attn_graph_new (example, &options, cancellable, error);
}

/**
 * attn_head_mix_get_name:
 *
 * Returns: "mean" or "max" (command-line names, not translated)
 */
const char *
attn_head_mix_get_name (AttnHeadMix head_mix)
{
  return head_mix == ATTN_HEAD_MIX_MAX ? "max" : "mean";
}

/**
 * attn_head_mix_get_label:
 *
 * Returns: "mean" or "max", translated: the head mixing as the settings line
 *   and the figures' captions show it
 */
const char *
attn_head_mix_get_label (AttnHeadMix head_mix)
{
  return head_mix == ATTN_HEAD_MIX_MAX ? _("max") : _("mean");
}

/**
 * attn_heads_dup_canonical:
 * @heads: (nullable): a list of heads as typed ("3, 0-2"), "all", %NULL or ""
 *
 * One list, one spelling: "0-3" and "0,1,2,3" gave one graph, and a caption
 * and its command named it apart.
 *
 * Returns: (transfer full): the heads in order, one by one ("0,1,2,3"),
 *   "all" for every head; @heads as given when it is not a list of heads, or
 *   names one too large to keep (its error quotes it)
 */
char *
attn_heads_dup_canonical (const char *heads)
{
  g_autoptr(GArray) list = NULL;

  if (heads == NULL || *heads == '\0')
    return g_strdup ("all");
  if (!attn_parse_heads (heads, G_MAXUINT, &list, NULL) ||
      (list->len > 0 && g_array_index (list, guint, list->len - 1) == G_MAXUINT))
    return g_strdup (heads);
  return attn_format_heads ((const guint *) list->data, list->len);
}

/**
 * attn_heads_get_weight_kinds:
 * @heads: (nullable): "all" (or %NULL, or empty), or a list of heads ("0-3")
 * @example: an example
 *
 * The weight kinds @example carries that have every head of @heads: for
 * every head, each kind it carries; for some, those given per head
 * (not attn_example_get_weights_head_mixed()) with more heads than the
 * largest index. A list that does not parse keeps every kind: the graph
 * says what is wrong with it. "All weights" with a head subset shows these
 * (a kind given without heads refused the whole figure).
 *
 * Returns: 1 << kind each
 */
guint
attn_heads_get_weight_kinds (const char        *heads,
                             const AttnExample *example)
{
  guint kinds;
  g_autoptr(GArray) list = NULL;
  guint last;

  g_return_val_if_fail (example != NULL, 0);

  kinds = attn_example_get_weight_kinds (example);
  if (heads == NULL || *heads == '\0' || !attn_parse_heads (heads, G_MAXUINT, &list, NULL) || list->len == 0)
    return kinds;
  last = g_array_index (list, guint, list->len - 1);
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    if ((kinds & (1u << k)) != 0 &&
        (attn_example_get_weights_head_mixed (example, k) || attn_example_get_weights_n_heads (example, k) <= last))
      kinds &= ~(1u << k);
  return kinds;
}

/**
 * attn_heads_get_label:
 * @heads: (nullable): "all" (or %NULL, or empty: every head), or head indices
 *
 * Returns: "all", translated, or the indices as given: the heads as the
 *   settings line and the figures' captions show them
 */
const char *
attn_heads_get_label (const char *heads)
{
  if (heads == NULL || *heads == '\0' || g_str_equal (heads, "all"))
    return C_("heads", "all");
  return heads;
}

/* @name: "mean" or "max", in any case (attn_keyword_is()) */
gboolean
attn_head_mix_from_name (const char  *name,
                         AttnHeadMix *head_mix)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (attn_keyword_is (name, "mean"))
    *head_mix = ATTN_HEAD_MIX_MEAN;
  else if (attn_keyword_is (name, "max"))
    *head_mix = ATTN_HEAD_MIX_MAX;
  else
    return FALSE;
  return TRUE;
}

/**
 * attn_heads_apply_to:
 * @example: an example
 * @kind: a weight kind
 *
 * Whether a graph of @kind over @example has heads to choose and mix: its
 * @kind, or its attention where it has not got @kind (what it shows then),
 * given with heads rather than as [L][n][n].
 *
 * Returns: whether heads apply
 */
gboolean
attn_heads_apply_to (const AttnExample *example,
                     AttnWeightKind     kind)
{
  if (!attn_example_has_weights (example, kind))
    kind = ATTN_WEIGHT_KIND_ATTENTION;
  return !attn_example_get_weights_head_mixed (example, kind);
}

/* Whether the heads apply to graphs of @kind over @examples: whether one of
 * those that carry @kind (every one, when none does: their attention, which
 * they show then) has heads in them, not [L][n][n]; %TRUE for no examples.
 * An example that lacks @kind among others that carry it is not counted:
 * the evaluation leaves it out. */
static gboolean
heads_apply_to_any (GPtrArray      *examples,
                    AttnWeightKind  kind)
{
  gboolean carried = FALSE;

  for (guint i = 0; i < examples->len; i++)
    if (attn_example_has_weights (g_ptr_array_index (examples, i), kind))
      {
        carried = TRUE;
        if (attn_heads_apply_to (g_ptr_array_index (examples, i), kind))
          return TRUE;
      }
  for (guint i = 0; !carried && i < examples->len; i++)
    if (attn_heads_apply_to (g_ptr_array_index (examples, i), kind))
      return TRUE;
  return examples->len == 0;
}

/**
 * attn_heads_for_examples:
 * @heads: (nullable): the heads chosen: "all", or a list such as "0,3"
 * @kind: the weights the graphs are to weigh
 * @examples: (element-type AttnExample): the examples the graphs are of
 *
 * The one rule of the app's windows for weights without heads: when the
 * heads do not apply to graphs of @kind over @examples (none of those that
 * carry @kind has heads in them: all given as [L][n][n], one matrix a
 * layer; see attn_graph_settings_get_heads_apply()), the heads controls are
 * greyed out, the heads chosen wait for weights with heads and the graphs
 * take every head. The main window, the evaluation, the comparison and the
 * command lines they copy agree on it. (attnflow-cli, given --heads other
 * than all or 0 for such weights, says that they have no heads.)
 *
 * Returns: (nullable): @heads, or "all" when they do not apply
 */
const char *
attn_heads_for_examples (const char     *heads,
                         AttnWeightKind  kind,
                         GPtrArray      *examples)
{
  g_return_val_if_fail (examples != NULL, heads);

  return heads_apply_to_any (examples, kind) ? heads : "all";
}

/**
 * attn_graph_settings_get_heads_apply:
 * @self: the settings
 * @examples: (element-type AttnExample): the examples a result is over
 *
 * Whether the heads and their mixing apply to @examples: whether one of
 * those that carry @self's weights (every one, when none does: its
 * attention, which it shows then) has them with heads, not head-mixed
 * ([L][n][n]); %TRUE for no examples.
 *
 * Returns: whether the heads apply
 */
gboolean
attn_graph_settings_get_heads_apply (const AttnGraphSettings *self,
                                     GPtrArray               *examples)
{
  g_return_val_if_fail (self != NULL && examples != NULL, TRUE);

  return heads_apply_to_any (examples, self->weights);
}

/**
 * attn_graph_settings_describe_examples:
 * @self: the settings
 * @file: (nullable): the file's name as shown
 * @n_examples: how many examples a result is over
 * @heads_apply: whether the examples' weights have heads
 *   (attn_graph_settings_get_heads_apply()): else the line says the heads
 *   do not apply, rather than naming heads and a mix that were not used
 * @name_weights: whether to name the attention too: a line among those of
 *   other weight kinds
 * @label_weights: whether to name the weights as the window's tables and
 *   legends do (attn_weight_kind_get_label(): "GlobEnc"), else by the
 *   command line's keyword ("globenc"), as the CLI's lines do
 * @out: where to append
 *
 * Appends the settings line of a result over examples of @file, such as
 * "pronouns-minilm.json: 44 examples; weights alti (the residual is in
 * them); heads all, head mix mean" (the weights named unless attention and
 * not @name_weights, α only where it applies).
 */
void
attn_graph_settings_describe_examples (const AttnGraphSettings *self,
                                       const char              *file,
                                       guint                    n_examples,
                                       gboolean                 heads_apply,
                                       gboolean                 name_weights,
                                       gboolean                 label_weights,
                                       GString                 *out)
{
  AttnWeightKind weights = attn_graph_settings_get_weights (self);
  const char *shown = file != NULL ? file : "-";
  const char *kind = label_weights ? attn_weight_kind_get_label (weights) : attn_weight_kind_get_name (weights);
  double residual = attn_graph_settings_get_residual (self);
  g_autofree char *heads = NULL;

  if (heads_apply)
    /* translators: the heads (“all” or indices such as 0,3) and how they are mixed (mean or max) */
    heads = g_strdup_printf (_("heads %s, head mix %s"), attn_heads_get_label (attn_graph_settings_get_heads (self)),
                             attn_head_mix_get_label (attn_graph_settings_get_head_mix (self)));
  else
    /* translators: the weights (such as ALTI) were given without heads: there are none to choose or mix */
    heads = g_strdup (_("heads do not apply (weights without heads)"));

  if (weights == ATTN_WEIGHT_KIND_ATTENTION && !name_weights)
    /* translators: the last %s is the heads, “heads all, head mix mean” */
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "%s: %u example; residual %g, %s",
                                              "%s: %u examples; residual %g, %s",
                                              n_examples),
                            shown, n_examples, residual, heads);
  else if (attn_graph_settings_get_residual_applies (self))
    /* translators: the third %s is a weight kind such as "norm", the last the heads */
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "%s: %u example; weights %s; residual %g, %s",
                                              "%s: %u examples; weights %s; residual %g, %s",
                                              n_examples),
                            shown, n_examples, kind, residual, heads);
  else
    /* translators: the third %s is a weight kind such as "alti", which already contains the
     * residual connection, so the residual weight does not apply; the last the heads */
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "%s: %u example; weights %s (the residual is in them); %s",
                                              "%s: %u examples; weights %s (the residual is in them); %s",
                                              n_examples),
                            shown, n_examples, kind, heads);
}
