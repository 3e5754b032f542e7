/* attn-statistics.c: Spearman's rank correlation (DESIGN.md §2)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>

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
 * The tie snapping of DESIGN §2: sort ascending; a value within @tolerance
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
 * of @x and @y after tie snapping (DESIGN §2), as `scipy.stats.spearmanr`.
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
