/* attn-example-validate.c: the checks of a stored tensor's rows
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every row of a tensor is read once when a file is opened: on every
 * processor for large tensors (a 2048-token export has 50 million values),
 * each row's values checked without a branch per value and summed in four
 * sums side by side (a sum in column order waits for each addition before
 * the next). Only a row whose sum is not clearly within the tolerance is
 * summed again in column order, the sum it is renormalised by and reported
 * with as before; so the renormalisation factors and the first error
 * reported (the first bad row in file order) are the same as before and for
 * any number of threads. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-error.h"
#include "attn-example-private.h"
#include "attn-kernel-private.h"
#include "attn-keyword.h"
#include "attn-threads-private.h"

/* Rows further than this from 1 are renormalised (with a warning). */
#define ROW_SUM_TOLERANCE 1e-3
/* The fast sum of a row is within 2 n ε of its sum in column order (values
 * >= 0, n < 4 million): a row whose fast sum is within the tolerance by
 * more than this needs no other sum. */
#define SUM_MARGIN 1e-9
/* Tensors with fewer values are checked on the calling thread alone. */
#define PARALLEL_VALUES (1 << 20)

/* "layer l, head h, row q" for row @r of @tensor (no head when head-mixed). */
char *
_attn_tensor_describe_row (const AttnExample *self,
                           const AttnTensor  *tensor,
                           gsize              r)
{
  gsize n = self->n_tokens;
  guint layer = (guint) (r / ((gsize) tensor->n_heads * n)) + 1;
  guint head = (guint) ((r / n) % tensor->n_heads);
  guint query = (guint) (r % n);

  if (tensor->head_mixed)
    /* translators: a place in an attention tensor; layer and row numbers */
    return g_strdup_printf (_("layer %u, row %u"), layer, query);
  /* translators: a place in an attention tensor; layer, head and row numbers */
  return g_strdup_printf (_("layer %u, head %u, row %u"), layer, head, query);
}

typedef float Float4 __attribute__ ((vector_size (16)));
typedef double Double4 __attribute__ ((vector_size (32)));
typedef gint64 Mask4 __attribute__ ((vector_size (32)));

/* Values k .. k+3 of a row of floats (@f) or else of doubles (@d), as
 * doubles (each conversion exact), into @out. */
static inline __attribute__ ((always_inline)) void
load4 (const float  *f,
       const double *d,
       gsize         k,
       Double4      *out)
{
  Float4 x;

  if (f == NULL)
    {
      memcpy (out, d + k, sizeof *out);
      return;
    }
  memcpy (&x, f + k, sizeof x);
  *out = __builtin_convertvector (x, Double4);
}

/* Whether the n values of a row of floats (@f) or else of doubles (@d) are
 * all finite and >= 0; their sum, in eight sums side by side, into @fast. */
static inline __attribute__ ((always_inline)) gboolean
check_lanes (const float  *f,
             const double *d,
             gsize         n,
             double       *fast)
{
  const Double4 zero = { 0., 0., 0., 0. }, inf = zero + INFINITY;
  Double4 s0 = zero, s1 = zero;
  Mask4 good = { -1, -1, -1, -1 };
  gboolean bad = FALSE;
  double tail = 0.;
  gsize k = 0;

  for (; k + 8 <= n; k += 8)
    {
      Double4 v, w;

      load4 (f, d, k, &v);
      load4 (f, d, k + 4, &w);
      good &= (v >= zero) & (v != inf) & (w >= zero) & (w != inf);
      s0 += v;
      s1 += w;
    }
  for (; k < n; k++)
    {
      double x = f != NULL ? f[k] : d[k];

      bad |= !(x >= 0.) | (x == INFINITY);
      tail += x;
    }
  s0 += s1;
  *fast = ((s0[0] + s0[1]) + (s0[2] + s0[3])) + tail;
  return !bad && (good[0] & good[1] & good[2] & good[3]) != 0;
}

static KERNEL_CLONES gboolean
row_check (const double *row,
           gsize         n,
           double       *fast)
{
  return check_lanes (NULL, row, n, fast);
}

/* row_check () of a float32 row where it is stored, without reading it into
 * doubles first. */
static KERNEL_CLONES gboolean
row_check_float32 (const float *row,
                   gsize        n,
                   double      *fast)
{
  return check_lanes (row, NULL, n, fast);
}

/* Whether row @r of @tensor (@n values, read into @row when that is needed)
 * passes row_check(); its fast sum into @fast. */
static gboolean
stored_row_check (const AttnTensor *tensor,
                  gsize             n,
                  gsize             r,
                  double           *row,
                  double           *fast)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  if (tensor->dtype == ATTN_DTYPE_FLOAT32)
    return row_check_float32 ((const float *) tensor->data + r * n, n, fast);
#endif
  _attn_tensor_read_row (tensor, n, r, row);
  return row_check (row, n, fast);
}

/* The sum of a row's n values in column order. */
static double
row_sum (const double *row,
         gsize         n)
{
  double s = 0.;

  for (gsize k = 0; k < n; k++)
    s += row[k];
  return s;
}

/* Whether a row whose fast sum is @fast needs no sum in column order: it is
 * far enough within the tolerance (or, without renormalisation, from zero
 * and overflow) that the two sums cannot fall on different sides. */
static gboolean
sum_settled (double   fast,
             gboolean renormalise)
{
  if (renormalise)
    return fabs (fast - 1.) <= ROW_SUM_TOLERANCE - SUM_MARGIN;
  return fast >= 1e-300 && fast <= 1e300;
}

/* Whether a row's sum can be renormalised (not zero, 1 / sum finite). */
static gboolean
sum_ok (double sum)
{
  return sum > 0. && isfinite (sum) && isfinite (1. / sum);
}

/* The error for row @r, which row_check() or sum_ok() refused. */
static void
row_error (const AttnExample *self,
           const AttnTensor  *tensor,
           const char        *field,
           gsize              r,
           const double      *row,
           double             sum,
           GError           **error)
{
  g_autofree char *where = _attn_tensor_describe_row (self, tensor, r);
  g_autofree char *name = attn_example_dup_message_name (self);

  for (gsize k = 0; k < self->n_tokens; k++)
    if (!isfinite (row[k]) || row[k] < 0.)
      {
        char value[G_ASCII_DTOSTR_BUF_SIZE];

        g_set_error (error, ATTN_ERROR, ATTN_ERROR_VALUE,
                     /* translators: the example (“cat-mat”, or 3 (no id)), the field, where
                      * (“layer 1, head 0, row 2”), a column number and the value found there
                      * (-0.5, NaN, Infinity, -Infinity) */
                     _("Example %s, field “%s”: %s, column %u holds %s; values must be "
                       "finite and not negative"),
                     name, field, where, (guint) k, attn_message_value (value, row[k]));
        return;
      }
  if (sum <= 0.)
    /* translators: the example (“cat-mat”, or 3 (no id)), the field, where (“layer 1,
     * head 0, row 2”) */
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_VALUE,
                 _("Example %s, field “%s”: %s sums to zero"),
                 name, field, where);
  else if (!isfinite (sum))
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_VALUE,
                 _("Example %s, field “%s”: the sum of %s overflows"),
                 name, field, where);
  else
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_VALUE,
                 _("Example %s, field “%s”: %s sums to %g, too close to zero to be "
                   "renormalised"),
                 name, field, where, sum);
}

/* Rows [first, last) of a tensor, checked by one thread. */
typedef struct
{
  const AttnExample *self;
  const AttnTensor  *tensor;
  gboolean           renormalise;
  gsize              first;
  gsize              last;
  gsize              bad_row;   /* the first refused row, or G_MAXSIZE */
  GArray            *off_rows;  /* rows to renormalise (gsize), and ... */
  GArray            *off_sums;  /* ... their sums (double) */
} CheckPart;

static gpointer
check_rows (gpointer data)
{
  CheckPart *part = data;
  gsize n = part->self->n_tokens;
  g_autofree double *row = g_new (double, n);

  part->bad_row = G_MAXSIZE;
  for (gsize r = part->first; r < part->last; r++)
    {
      double sum;

      if (!stored_row_check (part->tensor, n, r, row, &sum))
        {
          part->bad_row = r;
          break;
        }
      if (sum_settled (sum, part->renormalise))
        continue;
      _attn_tensor_read_row (part->tensor, n, r, row);
      sum = row_sum (row, n);
      if (!sum_ok (sum))
        {
          part->bad_row = r;
          break;
        }
      if (part->renormalise && fabs (sum - 1.) > ROW_SUM_TOLERANCE)
        {
          g_array_append_val (part->off_rows, r);
          g_array_append_val (part->off_sums, sum);
        }
    }
  return NULL;
}

/*
 * _attn_tensor_validate:
 * @field: the field named in errors ("attention", "contributions.norm")
 * @renormalise: record in @tensor->row_scale the factor of each row whose sum
 *   is further than 1e-3 from 1 (attention); otherwise rows are left as they
 *   are (contributions: their rows are normalised where they are used)
 * @renormalised: (out): how many rows were, and the worst of them
 *
 * Checks every row of @tensor: every value finite and >= 0, a sum that is
 * not zero and that can be renormalised (1 / sum finite). The error names
 * the first row refused.
 */
gboolean
_attn_tensor_validate (const AttnExample  *self,
                       AttnTensor         *tensor,
                       const char         *field,
                       gboolean            renormalise,
                       AttnRenormalised   *renormalised,
                       GError            **error)
{
  gsize n = self->n_tokens;
  gsize n_rows = (gsize) self->n_layers * tensor->n_heads * n;
  /* A few parts per processor, so that one kept waiting for a core holds no
   * other back. */
  guint n_parts = n_rows * n < PARALLEL_VALUES ? 1 : MIN (4 * g_get_num_processors (), 64);
  CheckPart *parts = g_newa (CheckPart, n_parts);
  g_autofree double *scale = NULL;
  gboolean ok = TRUE;

  g_assert (tensor->data != NULL);
  g_assert (self->label != NULL);

  *renormalised = (AttnRenormalised) { 0 };
  for (guint t = 0; t < n_parts; t++)
    parts[t] = (CheckPart) { self, tensor, renormalise, n_rows * t / n_parts,
                             n_rows * (t + 1) / n_parts, G_MAXSIZE,
                             g_array_new (FALSE, FALSE, sizeof (gsize)),
                             g_array_new (FALSE, FALSE, sizeof (double)) };
  attn_run_parts ("attn-validate", check_rows, parts, sizeof *parts, n_parts);

  for (guint t = 0; t < n_parts; t++)
    {
      CheckPart *part = &parts[t];

      if (ok && part->bad_row != G_MAXSIZE)
        {
          g_autofree double *row = g_new (double, n);
          double sum;

          _attn_tensor_read_row (tensor, n, part->bad_row, row);
          sum = row_sum (row, n);
          row_error (self, tensor, field, part->bad_row, row, sum, error);
          ok = FALSE;
        }
      for (guint i = 0; ok && i < part->off_rows->len; i++)
        {
          double sum = g_array_index (part->off_sums, double, i);
          gsize off = g_array_index (part->off_rows, gsize, i);

          if (scale == NULL)
            {
              scale = g_new (double, n_rows);
              for (gsize r = 0; r < n_rows; r++)
                scale[r] = 1.;
            }
          scale[off] = 1. / sum;
          renormalised->n_rows++;
          if (fabs (sum - 1.) > renormalised->worst)
            {
              renormalised->worst = fabs (sum - 1.);
              renormalised->worst_row = off;
            }
        }
      g_array_unref (part->off_rows);
      g_array_unref (part->off_sums);
    }
  if (!ok)
    {
      *renormalised = (AttnRenormalised) { 0 };
      return FALSE;
    }

  g_free (tensor->row_scale);
  tensor->row_scale = g_steal_pointer (&scale);
  return TRUE;
}

/* The warning for an example whose attention had rows renormalised. */
char *
_attn_example_renormalised_warning (const AttnExample      *self,
                                    const AttnRenormalised *renormalised)
{
  g_autofree char *where = _attn_tensor_describe_row (self, &self->attention,
                                                      renormalised->worst_row);
  g_autofree char *name = attn_example_dup_message_name (self);

  /* translators: the example (“cat-mat”, or 3 (no id)), how many rows, where the worst row
   * is (“layer 1, head 0, row 2”), how far its sum was from 1 */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Example %s: %zu attention row did not sum to 1 "
                                       "(%s, off by %.3g) and was renormalised",
                                       "Example %s: %zu attention rows did not sum to 1 "
                                       "(the worst: %s, off by %.3g) and were renormalised",
                                       renormalised->n_rows),
                          name, renormalised->n_rows, where, renormalised->worst);
}

/*
 * _attn_example_validate:
 * Checks every row of the attention (finite, >= 0, a sum that is not zero
 * and can be renormalised) and records the factor for rows whose sum is
 * further than 1e-3 from 1. Adds one warning to @warnings when any row of
 * this example was renormalised.
 */
gboolean
_attn_example_validate (AttnExample  *self,
                        GPtrArray    *warnings,
                        GError      **error)
{
  AttnRenormalised renormalised;

  if (!_attn_tensor_validate (self, &self->attention, "attention", TRUE, &renormalised, error))
    return FALSE;

  if (renormalised.n_rows > 0 && warnings != NULL)
    g_ptr_array_add (warnings, _attn_example_renormalised_warning (self, &renormalised));

  return TRUE;
}
