/* attn-antecedents.c: pronoun resolution: does a method prefer the antecedent the meaning picks?
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "attn-antecedents.h"
#include "attn-error.h"
#include "attn-refcount.h"

struct _AttnAntecedents
{
  AttnGraphSettings      *settings;
  AttnCorrelationMethods  methods;
  guint                   n_layers;
  guint                   n_left_out;  /* examples that name one candidate only */
  GPtrArray              *examples;    /* AttnExample */
  GPtrArray              *values;      /* per example: ATTN_N_METHODS * L * k doubles */
  guint                  *wins;        /* ATTN_N_METHODS * L */
  guint                  *ties;
  GArray                 *references;  /* ReferenceCount, by first appearance */
};

/* How a reference (model-side importance, one vector per example) fares */
typedef struct
{
  char  *name;
  guint  wins;
  guint  ties;
  guint  n_examples;
} ReferenceCount;

G_DEFINE_BOXED_TYPE (AttnAntecedents, attn_antecedents, attn_antecedents_ref, attn_antecedents_unref)

/**
 * attn_antecedent_outcome:
 * @values: (array length=n_antecedents): the importance of each candidate,
 *   in the order of the example's `antecedents` (the first is the one the
 *   sentence's meaning selects)
 * @n_antecedents: how many, at least 2
 *
 * Returns: whether the first candidate gets more importance than every
 *   other one (by more than %ATTN_ANTECEDENT_TIE_TOLERANCE), ties with the
 *   best of them, or loses to one
 */
AttnAntecedentOutcome
attn_antecedent_outcome (const double *values,
                         guint         n_antecedents)
{
  double best = -INFINITY;

  g_return_val_if_fail (values != NULL, ATTN_ANTECEDENT_MISS);
  g_return_val_if_fail (n_antecedents >= 2, ATTN_ANTECEDENT_MISS);

  for (guint a = 1; a < n_antecedents; a++)
    best = MAX (best, values[a]);
  if (values[0] - best > ATTN_ANTECEDENT_TIE_TOLERANCE)
    return ATTN_ANTECEDENT_WIN;
  if (best - values[0] > ATTN_ANTECEDENT_TIE_TOLERANCE)
    return ATTN_ANTECEDENT_MISS;
  return ATTN_ANTECEDENT_TIE;
}

/**
 * attn_antecedent_pick:
 * @example: an example with `antecedents`
 * @values: L·n values, `[(l-1)*n + j]` the importance of input j for a node
 *   of layer l (such as attn_method_importance() at every layer)
 * @out: L·k values: `[(l-1)*k + a]` is the value of the a-th antecedent
 *
 * Takes the antecedents' columns out of a heatmap's values.
 */
void
attn_antecedent_pick (AttnExample  *example,
                      const double *values,
                      double       *out)
{
  guint L, n, k;
  const guint *antecedents;

  g_return_if_fail (example != NULL);
  g_return_if_fail (values != NULL && out != NULL);

  L = attn_example_get_n_layers (example);
  n = attn_example_get_n_tokens (example);
  k = attn_example_get_n_antecedents (example);
  antecedents = attn_example_get_antecedents (example);
  for (guint l = 0; l < L; l++)
    for (guint a = 0; a < k; a++)
      out[(gsize) l * k + a] = values[(gsize) l * n + antecedents[a]];
}

static void
antecedents_clear (gpointer data)
{
  AttnAntecedents *self = data;

  g_clear_pointer (&self->settings, attn_graph_settings_unref);
  g_clear_pointer (&self->examples, g_ptr_array_unref);
  g_clear_pointer (&self->values, g_ptr_array_unref);
  g_clear_pointer (&self->references, g_array_unref);
  g_free (self->wins);
  g_free (self->ties);
}

ATTN_DEFINE_RC_BOX_REFS (AttnAntecedents, attn_antecedents, antecedents_clear)

/* The examples of @document with two or more candidates: one model (one L) */
static gboolean
select_examples (AttnAntecedents  *self,
                 AttnDocument     *document,
                 GError          **error)
{
  g_autofree char *display = NULL;
  guint with_antecedents = 0;

  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      AttnExample *example = attn_document_get_example (document, i);
      guint k = attn_example_get_n_antecedents (example);

      if (k == 0)
        continue;
      with_antecedents++;
      if (k < 2)
        {
          self->n_left_out++;
          continue;
        }
      if (!attn_add_example_of_one_model (self->examples, &self->n_layers, example, "antecedents", error))
        return FALSE;
    }
  if (self->examples->len > 0)
    return TRUE;

  display = attn_document_get_display_name (document);
  if (with_antecedents == 0)
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 _("%s: No example carries antecedents (the token indices of the candidate "
                   "antecedents of a pronoun focus)"), display);
  else
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 _("%s: The antecedents of every example (%u) name one candidate only: "
                   "the first antecedent has no other candidate to be compared with"),
                 display, with_antecedents);
  return FALSE;
}

static void
reference_count_clear (gpointer data)
{
  g_free (((ReferenceCount *) data)->name);
}

/* The example's references, counted like the methods */
static void
count_references (AttnAntecedents *self,
                  AttnExample     *example)
{
  guint k = attn_example_get_n_antecedents (example);
  const guint *antecedents = attn_example_get_antecedents (example);
  g_autofree double *picked = g_new (double, k);

  for (guint r = 0; r < attn_example_get_n_references (example); r++)
    {
      const char *name = attn_example_get_reference_name (example, r);
      const double *values = attn_example_get_reference (example, name);
      ReferenceCount *count = NULL;
      AttnAntecedentOutcome outcome;

      for (guint i = 0; i < self->references->len && count == NULL; i++)
        if (g_str_equal (g_array_index (self->references, ReferenceCount, i).name, name))
          count = &g_array_index (self->references, ReferenceCount, i);
      if (count == NULL)
        {
          ReferenceCount added = { g_strdup (name), 0, 0, 0 };

          g_array_append_val (self->references, added);
          count = &g_array_index (self->references, ReferenceCount, self->references->len - 1);
        }
      for (guint a = 0; a < k; a++)
        picked[a] = values[antecedents[a]];
      outcome = attn_antecedent_outcome (picked, k);
      count->wins += outcome == ATTN_ANTECEDENT_WIN;
      count->ties += outcome == ATTN_ANTECEDENT_TIE;
      count->n_examples++;
    }
}

/* Each method's importance of the candidates at every layer of one example,
 * counted into the wins and ties */
static gboolean
run_example (AttnAntecedents        *self,
             guint                   index,
             const AttnFlowOptions  *options,
             GCancellable           *cancellable,
             GError                **error)
{
  AttnExample *example = g_ptr_array_index (self->examples, index);
  guint L = self->n_layers, n = attn_example_get_n_tokens (example);
  guint k = attn_example_get_n_antecedents (example);
  guint focus = attn_example_get_focus (example);
  g_autoptr(AttnGraph) graph = NULL;
  g_autofree double *row = g_new (double, (gsize) L * n);
  double *values = g_new (double, (gsize) ATTN_N_METHODS * L * k);

  g_ptr_array_add (self->values, values);
  count_references (self, example);
  graph = attn_graph_new_from_settings (example, self->settings, cancellable, error);
  if (graph == NULL)
    return FALSE;
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      double *picked = values + (gsize) m * L * k;

      if ((self->methods & (1 << m)) == 0)
        {
          for (gsize i = 0; i < (gsize) L * k; i++)
            picked[i] = NAN;
          continue;
        }
      if (!attn_method_importance (m, graph, 0, focus, options, row, cancellable, error))
        return FALSE;
      attn_antecedent_pick (example, row, picked);
      for (guint l = 0; l < L; l++)
        {
          AttnAntecedentOutcome outcome = attn_antecedent_outcome (picked + (gsize) l * k, k);

          self->wins[m * L + l] += outcome == ATTN_ANTECEDENT_WIN;
          self->ties[m * L + l] += outcome == ATTN_ANTECEDENT_TIE;
        }
    }
  return TRUE;
}

/**
 * attn_antecedents_run:
 * @document: the file
 * @settings: how to build each example's graph
 * @methods: the methods to compare (the others' values are NaN, their
 *   counts 0)
 * @progress: (nullable) (scope call): the fraction done, over all examples
 * @user_data: closure for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * For every example of @document whose `antecedents` name two or more
 * candidates, at its focus token and at every layer, each method's
 * importance of the candidates, and per method and layer how many examples
 * give the first one more importance than every other one (and how many
 * tie). Examples that name one candidate only are left out and counted.
 * Synchronous: call it from a worker.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error set
 *   (no example names two candidates, examples of different models, a head
 *   a model lacks, cancelled)
 */
AttnAntecedents *
attn_antecedents_run (AttnDocument            *document,
                      AttnGraphSettings       *settings,
                      AttnCorrelationMethods   methods,
                      AttnProgressFunc         progress,
                      gpointer                 user_data,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  g_autoptr(AttnAntecedents) self = NULL;
  AttnStepProgress state = { progress, user_data, 0, 1 };
  AttnFlowOptions options = { FALSE, 0, attn_step_progress_flow_cb, &state };

  g_return_val_if_fail (document != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_atomic_rc_box_new0 (AttnAntecedents);
  self->settings = attn_graph_settings_ref (settings);
  self->methods = methods & ATTN_CORRELATION_ALL;
  self->examples = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_example_unref);
  self->values = g_ptr_array_new_with_free_func (g_free);
  self->references = g_array_new (FALSE, TRUE, sizeof (ReferenceCount));
  g_array_set_clear_func (self->references, reference_count_clear);
  if (!select_examples (self, document, error))
    return NULL;

  self->wins = g_new0 (guint, (gsize) ATTN_N_METHODS * self->n_layers);
  self->ties = g_new0 (guint, (gsize) ATTN_N_METHODS * self->n_layers);
  state.n_steps = self->examples->len;
  for (guint e = 0; e < self->examples->len; e++)
    {
      state.step = e;
      attn_step_progress_report (&state, 0.);
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !run_example (self, e, &options, cancellable, error))
        return NULL;
    }
  if (progress != NULL)
    progress (1., user_data);
  return g_steal_pointer (&self);
}

/**
 * attn_antecedents_get_settings:
 *
 * Returns: (transfer none): the settings the graphs were built with
 */
AttnGraphSettings *
attn_antecedents_get_settings (const AttnAntecedents *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->settings;
}

AttnCorrelationMethods
attn_antecedents_get_methods (const AttnAntecedents *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->methods;
}

guint
attn_antecedents_get_n_layers (const AttnAntecedents *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_layers;
}

/**
 * attn_antecedents_get_n_examples:
 *
 * Returns: how many examples were compared (those naming two or more
 *   candidates)
 */
guint
attn_antecedents_get_n_examples (const AttnAntecedents *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->examples->len;
}

/**
 * attn_antecedents_get_n_left_out:
 *
 * Returns: how many examples carry `antecedents` with one candidate only
 *   (nothing to compare; left out of the counts)
 */
guint
attn_antecedents_get_n_left_out (const AttnAntecedents *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_left_out;
}

/**
 * attn_antecedents_get_example:
 *
 * Returns: (transfer none): the @index-th example compared, in file order
 */
AttnExample *
attn_antecedents_get_example (const AttnAntecedents *self,
                              guint                  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->examples->len, NULL);

  return g_ptr_array_index (self->examples, index);
}

/**
 * attn_antecedents_get_values:
 * @index: an example, as attn_antecedents_get_example()
 * @method: a method
 *
 * Returns: (array): L·k values, k the example's number of antecedents:
 *   `[(l-1)*k + a]` is @method's importance of the a-th antecedent for node
 *   (l, focus); NaN for a method not run
 */
const double *
attn_antecedents_get_values (const AttnAntecedents *self,
                             guint                  index,
                             AttnMethod             method)
{
  AttnExample *example;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->examples->len, NULL);
  g_return_val_if_fail (method < ATTN_N_METHODS, NULL);

  example = g_ptr_array_index (self->examples, index);
  return (const double *) g_ptr_array_index (self->values, index) +
         (gsize) method * self->n_layers * attn_example_get_n_antecedents (example);
}

/**
 * attn_antecedents_get_outcome:
 * @layer: 1..L
 *
 * Returns: how the first antecedent of example @index fares under @method
 *   at @layer (a miss for a method not run)
 */
AttnAntecedentOutcome
attn_antecedents_get_outcome (const AttnAntecedents *self,
                              guint                  index,
                              AttnMethod             method,
                              guint                  layer)
{
  guint k;

  g_return_val_if_fail (self != NULL, ATTN_ANTECEDENT_MISS);
  g_return_val_if_fail (index < self->examples->len, ATTN_ANTECEDENT_MISS);
  g_return_val_if_fail (method < ATTN_N_METHODS, ATTN_ANTECEDENT_MISS);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, ATTN_ANTECEDENT_MISS);

  if ((self->methods & (1 << method)) == 0)
    return ATTN_ANTECEDENT_MISS;
  k = attn_example_get_n_antecedents (g_ptr_array_index (self->examples, index));
  return attn_antecedent_outcome (attn_antecedents_get_values (self, index, method) +
                                  (gsize) (layer - 1) * k, k);
}

/**
 * attn_antecedents_get_wins:
 *
 * Returns: (array): %ATTN_N_METHODS * L counts: `[m * L + (l-1)]` examples
 *   in which method m gives the first antecedent more importance than every
 *   other candidate at layer l
 */
const guint *
attn_antecedents_get_wins (const AttnAntecedents *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->wins;
}

/**
 * attn_antecedents_get_ties:
 *
 * Returns: (array): %ATTN_N_METHODS * L counts of the examples in which the
 *   first antecedent ties with the best other candidate (not wins)
 */
const guint *
attn_antecedents_get_ties (const AttnAntecedents *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->ties;
}

/**
 * attn_antecedents_get_share:
 * @layer: 1..L
 *
 * Returns: the share of the examples compared in which @method gives the
 *   first antecedent more importance than every other candidate at @layer
 *   (NaN for a method not run)
 */
double
attn_antecedents_get_share (const AttnAntecedents *self,
                            AttnMethod             method,
                            guint                  layer)
{
  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (method < ATTN_N_METHODS, NAN);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NAN);

  if ((self->methods & (1 << method)) == 0)
    return NAN;
  return (double) self->wins[method * self->n_layers + layer - 1] / self->examples->len;
}

/**
 * attn_antecedents_get_n_references:
 *
 * Returns: how many references (such as blankout, gradient) the examples
 *   compared carry, counted by attn_antecedents_get_reference()
 */
guint
attn_antecedents_get_n_references (const AttnAntecedents *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->references->len;
}

/**
 * attn_antecedents_get_reference:
 * @index: 0 to attn_antecedents_get_n_references() - 1, in the order of
 *   their first appearance
 * @wins: (out) (optional): the examples in which the reference gives the
 *   first antecedent more importance than every other candidate
 * @ties: (out) (optional): the examples in which it ties
 * @n_examples: (out) (optional): the examples compared that carry it
 *
 * The references (model-side importance of each input token for the focus)
 * scored like the methods: a baseline for their shares.
 *
 * Returns: the reference's name
 */
const char *
attn_antecedents_get_reference (const AttnAntecedents *self,
                                guint                  index,
                                guint                 *wins,
                                guint                 *ties,
                                guint                 *n_examples)
{
  const ReferenceCount *count;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->references->len, NULL);

  count = &g_array_index (self->references, ReferenceCount, index);
  if (wins != NULL)
    *wins = count->wins;
  if (ties != NULL)
    *ties = count->ties;
  if (n_examples != NULL)
    *n_examples = count->n_examples;
  return count->name;
}

/**
 * attn_antecedents_append_csv_table:
 * @out: where to append
 * @flags: where the weights go, and whether to write the header
 *
 * Appends the table `attnflow-cli antecedents --format csv` writes: a header
 * `method,layer,share,wins,ties,examples,weights,residual,heads,head_mix`,
 * then one row per method run and layer; then one row per reference the
 * examples carry (the baseline the text and JSON give under the table),
 * its name in `method` and `layer` empty:
 * `blankout,,0.52272727272727271,23,0,44,attention,0.5,all,mean`; the share
 * with 17 significant digits in the C locale. The last columns are the
 * settings that made the numbers, as the JSON names them
 * (attn_csv_columns_init()); a table of several weight kinds gives each
 * kind's with %ATTN_CSV_WEIGHTS_FIRST, the first with a header.
 */
void
attn_antecedents_append_csv_table (const AttnAntecedents *self,
                                   GString               *out,
                                   AttnCsvFlags           flags)
{
  g_auto(AttnCsvColumns) columns = { 0 };

  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  attn_csv_columns_init (&columns, NULL, self->settings, flags);
  attn_csv_append_header (out, &columns, "method,layer,share,wins,ties,examples");
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      if ((self->methods & (1 << m)) == 0)
        continue;
      for (guint l = 1; l <= self->n_layers; l++)
        {
          attn_csv_begin_row (out, &columns);
          g_string_append_printf (out, "%s,%u,", attn_method_get_name (m), l);
          attn_append_number (out, attn_antecedents_get_share (self, m, l));
          g_string_append_printf (out, ",%u,%u,%u", self->wins[m * self->n_layers + l - 1],
                                  self->ties[m * self->n_layers + l - 1], self->examples->len);
          attn_csv_end_row (out, &columns);
        }
    }
  for (guint r = 0; r < self->references->len; r++)
    {
      guint wins, ties, n;
      const char *name = attn_antecedents_get_reference (self, r, &wins, &ties, &n);

      attn_csv_begin_row (out, &columns);
      attn_append_table_field (out, name, ',');
      g_string_append (out, ",,");
      attn_append_number (out, (double) wins / n);
      g_string_append_printf (out, ",%u,%u,%u", wins, ties, n);
      attn_csv_end_row (out, &columns);
    }
}

/**
 * attn_antecedents_to_csv:
 *
 * Returns: (transfer full): the table of one weight kind
 *   (attn_antecedents_append_csv_table())
 */
char *
attn_antecedents_to_csv (const AttnAntecedents *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  attn_antecedents_append_csv_table (self, out, ATTN_CSV_DEFAULT);
  return g_string_free (out, FALSE);
}

/**
 * attn_antecedents_describe:
 * @file: (nullable): the file's name as shown
 * @name_weights: whether to name the weights also when they are the
 *   attention (a line among those of other kinds)
 *
 * Returns: (transfer full): the settings line, such as
 *   "pronouns-minilm.json: 44 examples; residual 0.5, heads all, head mix mean"
 *   (the weight kind named unless attention and not @name_weights)
 */
char *
attn_antecedents_describe (const AttnAntecedents *self,
                           const char            *file,
                           gboolean               name_weights)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  attn_graph_settings_describe_examples (self->settings, file, self->examples->len,
                                         attn_graph_settings_get_heads_apply (self->settings, self->examples),
                                         name_weights, FALSE, out);
  if (self->n_left_out > 0)
    {
      g_string_append (out, "; ");
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                "%u example with one candidate left out",
                                                "%u examples with one candidate left out",
                                                self->n_left_out),
                              self->n_left_out);
    }
  return g_string_free (out, FALSE);
}

/**
 * attn_antecedents_format_share:
 * @wins: examples won
 * @ties: examples tied
 * @n_examples: examples compared
 *
 * Returns: (transfer full): a table cell: "52.3% (23/44)", with ", 2 tied"
 *   inside the brackets when some examples tie
 */
char *
attn_antecedents_format_share (guint wins,
                               guint ties,
                               guint n_examples)
{
  double percent = n_examples > 0 ? 100. * wins / n_examples : NAN;

  if (ties > 0)
    /* translators: a table cell: share of examples won, examples won / compared, examples tied */
    return g_strdup_printf (_("%.1f%% (%u/%u, %u tied)"), percent, wins, n_examples, ties);
  return g_strdup_printf ("%.1f%% (%u/%u)", percent, wins, n_examples);
}
