/* attn-statistics.c: Spearman's rank correlation (docs/METHODS.md), one example's ρ
 * per layer and their summary over examples, and the numbers and fields of the commands' tables
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attn-error.h"
#include "attn-statistics.h"

typedef struct
{
  double value;
  gsize  index;
} Item;

static int
compare_items (const void *a,
               const void *b)
{
  const Item *x = a;
  const Item *y = b;

  if (x->value < y->value)
    return -1;
  if (x->value > y->value)
    return 1;
  /* Stable on equal values. */
  return (x->index > y->index) - (x->index < y->index);
}

static Item *
sorted_items (const double *values,
              gsize         n)
{
  Item *items = g_new (Item, n);

  for (gsize i = 0; i < n; i++)
    {
      items[i].value = values[i];
      items[i].index = i;
    }
  qsort (items, n, sizeof (Item), compare_items);
  return items;
}

/* Replaces each value of the sorted @items by the first value of its run. */
static void
snap_sorted (Item   *items,
             gsize   n,
             double  tolerance)
{
  double first;

  if (n == 0)
    return;

  first = items[0].value;
  for (gsize i = 1; i < n; i++)
    {
      if (items[i].value - first <= tolerance)
        items[i].value = first;
      else
        first = items[i].value;
    }
}

/**
 * attn_snap_ties:
 * @values: (array length=n): finite values
 * @n: how many
 * @tolerance: the snapping distance, usually %ATTN_TIE_TOLERANCE
 * @out: (out caller-allocates) (array length=n): the snapped values; may be @values
 *
 * The tie snapping of docs/METHODS.md: sort ascending; a value within @tolerance
 * of the first value of the current run joins the run and takes that first
 * value, otherwise it starts a new run. Values that are mathematically equal
 * but differ by floating-point noise become exactly equal.
 */
void
attn_snap_ties (const double *values,
                gsize         n,
                double        tolerance,
                double       *out)
{
  g_autofree Item *items = NULL;

  g_return_if_fail (values != NULL || n == 0);
  g_return_if_fail (out != NULL || n == 0);

  if (n == 0)
    return;

  items = sorted_items (values, n);
  snap_sorted (items, n, tolerance);
  for (gsize i = 0; i < n; i++)
    out[items[i].index] = items[i].value;
}

/**
 * attn_rank_average:
 * @values: (array length=n): finite values
 * @n: how many
 * @ranks: (out caller-allocates) (array length=n): 1-based ranks
 *
 * Ranks @values after attn_snap_ties() with %ATTN_TIE_TOLERANCE; tied values
 * get the average of the ranks they span (as `scipy.stats.rankdata`).
 */
void
attn_rank_average (const double *values,
                   gsize         n,
                   double       *ranks)
{
  g_autofree Item *items = NULL;
  gsize start = 0;

  g_return_if_fail (values != NULL || n == 0);
  g_return_if_fail (ranks != NULL || n == 0);

  if (n == 0)
    return;

  items = sorted_items (values, n);
  snap_sorted (items, n, ATTN_TIE_TOLERANCE);

  while (start < n)
    {
      gsize end = start + 1;
      double rank;

      while (end < n && items[end].value == items[start].value)
        end++;
      /* Sorted positions start..end-1 hold ranks start+1..end. */
      rank = (double) (start + 1 + end) / 2.;
      for (gsize i = start; i < end; i++)
        ranks[items[i].index] = rank;
      start = end;
    }
}

/**
 * attn_spearman:
 * @x: (array length=n): values
 * @y: (array length=n): values
 * @n: how many pairs
 *
 * Spearman's rank correlation ρ: Pearson's correlation of the average ranks
 * of @x and @y after tie snapping (docs/METHODS.md), as `scipy.stats.spearmanr`.
 *
 * Returns: ρ in [-1, 1], or NaN when either side is constant (after
 *   snapping), when @n < 2, or when a value is NaN
 */
double
attn_spearman (const double *x,
               const double *y,
               gsize         n)
{
  g_autofree double *rx = NULL;
  g_autofree double *ry = NULL;
  double mean, sxy = 0., sxx = 0., syy = 0.;

  g_return_val_if_fail (x != NULL || n == 0, NAN);
  g_return_val_if_fail (y != NULL || n == 0, NAN);

  if (n < 2)
    return NAN;
  for (gsize i = 0; i < n; i++)
    if (isnan (x[i]) || isnan (y[i]))
      return NAN;

  rx = g_new (double, n);
  ry = g_new (double, n);
  attn_rank_average (x, n, rx);
  attn_rank_average (y, n, ry);

  /* Ranks are exact multiples of 0.5, so a constant side gives exactly 0. */
  mean = (double) (n + 1) / 2.;
  for (gsize i = 0; i < n; i++)
    {
      double dx = rx[i] - mean;
      double dy = ry[i] - mean;

      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }

  if (sxx == 0. || syy == 0.)
    return NAN;

  return CLAMP (sxy / sqrt (sxx * syy), -1., 1.);
}

/**
 * attn_mean_std:
 * @values: (array length=n): values, some possibly NaN
 * @n: how many
 * @mean: (out) (optional): the mean of the non-NaN values, NaN if there are none
 * @std: (out) (optional): their sample standard deviation (divisor count - 1),
 *   NaN with fewer than two
 * @n_nan: (out) (optional): how many values were NaN (left out)
 */
void
attn_mean_std (const double *values,
               gsize         n,
               double       *mean,
               double       *std,
               guint        *n_nan)
{
  double sum = 0., m, ss = 0.;
  gsize count = 0;
  guint nans = 0;

  g_return_if_fail (values != NULL || n == 0);

  for (gsize i = 0; i < n; i++)
    {
      if (isnan (values[i]))
        nans++;
      else
        {
          sum += values[i];
          count++;
        }
    }

  m = count > 0 ? sum / count : NAN;
  if (count >= 2)
    {
      for (gsize i = 0; i < n; i++)
        if (!isnan (values[i]))
          ss += (values[i] - m) * (values[i] - m);
    }

  if (mean)
    *mean = m;
  if (std)
    *std = count >= 2 ? sqrt (ss / (count - 1)) : NAN;
  if (n_nan)
    *n_nan = nans;
}

/**
 * attn_correlate_example:
 * @graph: the example's attention graph (its settings: residual, heads, head mix)
 * @reference: the name of one of the example's `references`, such as "gradient"
 * @methods: which methods to compare
 * @exclude_special: leave special tokens (attn_token_is_special()) and the
 *   focus token out of the ranks
 * @flow_options: (nullable): options for flow (threads, progress); `unnormalized`
 *   is ignored (ρ is the same either way, but the tie snapping is calibrated
 *   on normalised values)
 * @out: (out caller-allocates) (array): %ATTN_N_METHODS * L values;
 *   `out[m * L + (l-1)]` is Spearman's ρ between the reference and method m
 *   (an #AttnMethod) at node (l, focus); NaN for a method not asked
 *   for, a constant side, or fewer than two ranked tokens
 *
 * One example's row of the paper's Tables 1 and 2: at the example's focus
 * token, the rank correlation between a model-side importance reference and
 * the importance each method gives the input tokens, at every layer.
 *
 * Returns: %TRUE on success; %FALSE with @error set (no such reference,
 *   cancelled)
 */
gboolean
attn_correlate_example (AttnGraph              *graph,
                        const char             *reference,
                        AttnCorrelationMethods  methods,
                        gboolean                exclude_special,
                        const AttnFlowOptions  *flow_options,
                        double                 *out,
                        GCancellable           *cancellable,
                        GError                **error)
{
  AttnFlowOptions options = { 0 };
  AttnExample *example;
  g_autofree double *importance = NULL;
  g_autofree double *kept_reference = NULL;
  g_autofree double *kept_values = NULL;
  g_autofree guint *kept = NULL;
  const double *values;
  guint n, L, focus, n_kept = 0;

  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (reference != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  example = attn_graph_get_example (graph);
  g_return_val_if_fail (example != NULL, FALSE);

  n = attn_graph_get_n_tokens (graph);
  L = attn_graph_get_n_layers (graph);
  focus = attn_example_get_focus (example);

  values = attn_example_get_reference (example, reference);
  if (values == NULL)
    {
      g_autofree char *name = attn_example_dup_message_name (example);
      g_autofree char *shown = attn_error_quote_text (reference);

      /* translators: the example (“cat-mat”, or 3 (no id)), a reference's name */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Example %s has no references.%s"), name, shown);
      return FALSE;
    }

  for (gsize i = 0; i < (gsize) ATTN_N_METHODS * L; i++)
    out[i] = NAN;

  kept = g_new (guint, n);
  for (guint j = 0; j < n; j++)
    {
      if (exclude_special &&
          (j == focus || attn_token_is_special (attn_example_get_token (example, j))))
        continue;
      kept[n_kept++] = j;
    }

  kept_reference = g_new (double, MAX (n_kept, 1));
  kept_values = g_new (double, MAX (n_kept, 1));
  for (guint k = 0; k < n_kept; k++)
    kept_reference[k] = values[kept[k]];

  if (flow_options != NULL)
    options = *flow_options;
  options.unnormalized = FALSE;

  importance = g_new (double, (gsize) L * n);
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      if ((methods & (1 << m)) == 0)
        continue;

      if (!attn_method_importance (m, graph, 0, focus, &options, importance, cancellable, error))
        return FALSE;

      for (guint l = 0; l < L; l++)
        {
          for (guint k = 0; k < n_kept; k++)
            kept_values[k] = importance[(gsize) l * n + kept[k]];
          out[m * L + l] = attn_spearman (kept_reference, kept_values, n_kept);
        }
    }

  return TRUE;
}

/**
 * attn_correlation_summarize:
 * @rho: (array): @n_examples blocks of %ATTN_N_METHODS * @n_layers
 *   values, each as attn_correlate_example() writes them
 * @n_examples: how many examples
 * @n_layers: L
 * @mean: (out caller-allocates) (array): %ATTN_N_METHODS * L means
 * @std: (out caller-allocates) (array): as many sample standard deviations
 * @nan_count: (out caller-allocates) (array): as many NaN counts
 *
 * Per method and layer, over the examples: the mean and the sample standard
 * deviation of ρ, NaN left out and counted (attn_mean_std()). What
 * `attnflow-cli correlate` prints and the application's evaluation shows.
 */
void
attn_correlation_summarize (const double *rho,
                            guint         n_examples,
                            guint         n_layers,
                            double       *mean,
                            double       *std,
                            guint        *nan_count)
{
  g_autofree double *column = NULL;
  gsize stride = (gsize) ATTN_N_METHODS * n_layers;

  g_return_if_fail (rho != NULL || n_examples == 0);
  g_return_if_fail (mean != NULL && std != NULL && nan_count != NULL);

  column = g_new (double, MAX (n_examples, 1));
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    for (guint l = 0; l < n_layers; l++)
      {
        gsize i = (gsize) m * n_layers + l;

        for (guint e = 0; e < n_examples; e++)
          column[e] = rho[e * stride + i];
        attn_mean_std (column, n_examples, &mean[i], &std[i], &nan_count[i]);
      }
}

/**
 * attn_add_example_of_one_model:
 * @examples: (element-type AttnExample): the examples taken so far
 * @n_layers: (inout): their number of layers (set by the first)
 * @example: the next example
 * @command: what takes them ("correlate", "antecedents"), for the message
 *
 * Adds @example (a new reference) to @examples when it has the layers of
 * the examples before it: the examples of one run are of one model.
 *
 * Returns: %TRUE when added; %FALSE with @error set
 */
gboolean
attn_add_example_of_one_model (GPtrArray    *examples,
                               guint        *n_layers,
                               AttnExample  *example,
                               const char   *command,
                               GError      **error)
{
  if (examples->len > 0 && attn_example_get_n_layers (example) != *n_layers)
    {
      g_autofree char *name = attn_example_dup_message_name (example);

      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   /* translators: the first %s is the example (“cat-mat”, or 3 (no id)),
                    * the last the command, not translated (correlate, antecedents) */
                   g_dngettext (GETTEXT_PACKAGE,
                                "Example %s has %u layer, the examples before it %u: "
                                "%s needs one model",
                                "Example %s has %u layers, the examples before it %u: "
                                "%s needs one model",
                                attn_example_get_n_layers (example)),
                   name, attn_example_get_n_layers (example),
                   *n_layers, command);
      return FALSE;
    }
  *n_layers = attn_example_get_n_layers (example);
  g_ptr_array_add (examples, attn_example_ref (example));
  return TRUE;
}

/**
 * attn_append_number:
 * @out: where to append
 * @value: a number
 *
 * Writes @value so that it reads back to the same double: 17 significant
 * digits, in the C locale whatever the locale (the CSV and JSON of every
 * command and window).
 */
void
attn_append_number (GString *out,
                    double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
  g_string_append (out, buffer);
}

/**
 * attn_format_setting:
 * @buffer: where to write, %G_ASCII_DTOSTR_BUF_SIZE bytes
 * @value: a setting (a residual weight, a threshold, a scale)
 *
 * Writes @value in the fewest significant digits that read back as @value,
 * in the C locale: a setting reads as it was given (0.3, where
 * attn_append_number() writes 0.29999999999999999), and still exactly.
 *
 * Returns: (transfer none): @buffer
 */
const char *
attn_format_setting (char   *buffer,
                     double  value)
{
  for (int digits = 1; digits < 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, G_ASCII_DTOSTR_BUF_SIZE, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        return buffer;
    }
  return g_ascii_formatd (buffer, G_ASCII_DTOSTR_BUF_SIZE, "%.17g", value);
}

/**
 * attn_append_table_field:
 * @out: where to append
 * @text: a field's text
 * @separator: the table's separator: ',' (CSV) or '\t' (a table copied)
 *
 * Writes @text as a field of a table (RFC 4180): quoted, its quotes
 * doubled, when it holds the separator, a quote or a line break, or (for
 * the sake of readers that trim) starts or ends with a space.
 */
void
attn_append_table_field (GString    *out,
                         const char *text,
                         char        separator)
{
  gsize length = strlen (text);
  gboolean quote = strchr (text, separator) != NULL || strpbrk (text, "\"\r\n") != NULL ||
                   (length > 0 && (g_ascii_isspace (text[0]) || g_ascii_isspace (text[length - 1])));

  if (!quote)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * attn_csv_columns_init:
 * @self: the columns to set up
 * @reference: (nullable): the reference correlated with, a first settings
 *   column `reference`; %NULL for none
 * @settings: the settings the graphs were built with
 * @flags: where the weights go, and whether the table has a header
 *
 * The settings as the last columns of a table, as the JSON names them
 * (`reference,weights,residual,heads,head_mix`): the weight kind's keyword,
 * α as given (attn_format_setting(); also for the kinds that contain
 * the residual), the heads one by one (`"0,1,2,3"`, quoted) or `all`, the
 * head mix's name. With %ATTN_CSV_WEIGHTS_FIRST the weights are a first
 * column instead, so that no table names a column twice. Further settings
 * follow with attn_csv_columns_add(); attn_csv_columns_clear() frees them.
 */
void
attn_csv_columns_init (AttnCsvColumns          *self,
                       const char              *reference,
                       const AttnGraphSettings *settings,
                       AttnCsvFlags             flags)
{
  char residual[G_ASCII_DTOSTR_BUF_SIZE];
  const char *weights;

  g_return_if_fail (self != NULL);
  g_return_if_fail (settings != NULL);

  weights = attn_weight_kind_get_name (attn_graph_settings_get_weights (settings));
  self->first_names = g_string_new (NULL);
  self->first_values = g_string_new (NULL);
  self->last_names = g_string_new (NULL);
  self->last_values = g_string_new (NULL);
  self->header = (flags & ATTN_CSV_NO_HEADER) == 0;
  if (reference != NULL)
    attn_csv_columns_add (self, "reference", reference);
  if (flags & ATTN_CSV_WEIGHTS_FIRST)
    {
      g_string_append (self->first_names, "weights,");
      attn_append_table_field (self->first_values, weights, ',');
      g_string_append_c (self->first_values, ',');
    }
  else
    attn_csv_columns_add (self, "weights", weights);
  attn_csv_columns_add (self, "residual", attn_format_setting (residual, attn_graph_settings_get_residual (settings)));
  attn_csv_columns_add (self, "heads", attn_graph_settings_get_heads (settings));
  attn_csv_columns_add (self, "head_mix",
                        attn_head_mix_get_name (attn_graph_settings_get_head_mix (settings)));
}

/**
 * attn_csv_columns_add:
 * @name: the column's name
 * @value: its field in every row (quoted where a field needs it)
 *
 * Appends a last column.
 */
void
attn_csv_columns_add (AttnCsvColumns *self,
                      const char     *name,
                      const char     *value)
{
  g_return_if_fail (self != NULL && self->last_names != NULL);

  g_string_append_c (self->last_names, ',');
  g_string_append (self->last_names, name);
  g_string_append_c (self->last_values, ',');
  attn_append_table_field (self->last_values, value, ',');
}

void
attn_csv_columns_clear (AttnCsvColumns *self)
{
  if (self->first_names != NULL)
    g_string_free (self->first_names, TRUE);
  if (self->first_values != NULL)
    g_string_free (self->first_values, TRUE);
  if (self->last_names != NULL)
    g_string_free (self->last_names, TRUE);
  if (self->last_values != NULL)
    g_string_free (self->last_values, TRUE);
  memset (self, 0, sizeof *self);
}

/**
 * attn_csv_append_header:
 * @columns: (nullable): the shared columns, %NULL for none
 * @names: the table's own columns, comma-separated
 *
 * Appends the header line, unless @columns says the table has none.
 */
void
attn_csv_append_header (GString              *out,
                        const AttnCsvColumns *columns,
                        const char           *names)
{
  if (columns != NULL && !columns->header)
    return;
  if (columns != NULL)
    g_string_append (out, columns->first_names->str);
  g_string_append (out, names);
  if (columns != NULL)
    g_string_append (out, columns->last_names->str);
  g_string_append_c (out, '\n');
}

/* Appends a row's first shared fields (@columns nullable) */
void
attn_csv_begin_row (GString              *out,
                    const AttnCsvColumns *columns)
{
  if (columns != NULL)
    g_string_append (out, columns->first_values->str);
}

/* Appends a row's last shared fields and ends it (@columns nullable) */
void
attn_csv_end_row (GString              *out,
                  const AttnCsvColumns *columns)
{
  if (columns != NULL)
    g_string_append (out, columns->last_values->str);
  g_string_append_c (out, '\n');
}

/**
 * attn_correlation_append_csv:
 * @out: where to append
 * @methods: the methods to write (rows in the order raw, rollout, flow)
 * @n_layers: L
 * @n_examples: how many examples were summarised
 * @mean: (array): as from attn_correlation_summarize()
 * @std: (array)
 * @nan_count: (array)
 * @columns: (nullable): columns every row shares (the settings,
 *   attn_csv_columns_init()), %NULL for none
 *
 * The CSV of `attnflow-cli correlate --format csv`: a header
 * `method,layer,mean,std,examples,nan_count` (between @columns' first and
 * last names), then one row per method and layer; NaN is an empty field,
 * numbers are written with 17 significant digits in the C locale;
 * `examples` counts the examples that gave a number.
 */
void
attn_correlation_append_csv (GString                *out,
                             AttnCorrelationMethods  methods,
                             guint                   n_layers,
                             guint                   n_examples,
                             const double           *mean,
                             const double           *std,
                             const guint            *nan_count,
                             const AttnCsvColumns   *columns)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (mean != NULL && std != NULL && nan_count != NULL);

  attn_csv_append_header (out, columns, "method,layer,mean,std,examples,nan_count");
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      if ((methods & (1 << m)) == 0)
        continue;
      for (guint l = 0; l < n_layers; l++)
        {
          gsize i = (gsize) m * n_layers + l;

          attn_csv_begin_row (out, columns);
          g_string_append_printf (out, "%s,%u,", attn_method_get_name (m), l + 1);
          if (!isnan (mean[i]))
            attn_append_number (out, mean[i]);
          g_string_append_c (out, ',');
          if (!isnan (std[i]))
            attn_append_number (out, std[i]);
          g_string_append_printf (out, ",%u,%u", n_examples - nan_count[i], nan_count[i]);
          attn_csv_end_row (out, columns);
        }
    }
}
